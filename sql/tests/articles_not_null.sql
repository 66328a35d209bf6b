-- Required article columns are filled.
select article_id
from stg_articles
where article_id is null or source_path is null or source_sha256 is null
    or body is null or trim(body) = '' or date_source is null or authors is null
    or word_count is null or sentence_count is null or ingested_at is null
