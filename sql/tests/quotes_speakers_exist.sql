-- A quote's speaker entity is an entity mentioned in the warehouse.
select q.article_id, q.speaker_entity_id
from stg_quotes as q
where q.speaker_entity_id is not null
    and q.speaker_entity_id not in (select entity_id from stg_entities)
