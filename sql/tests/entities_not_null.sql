-- Every mention has a label, a canonical entity and a non-empty text.
select article_id, char_start
from stg_entities
where label is null or entity_id is null or canonical_name is null or trim(text) = ''
