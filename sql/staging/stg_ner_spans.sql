-- The model's raw entity spans per article, before canonicalization (stg_entities holds the
-- canonical mentions). Kept so that an exact duplicate of a body the model already read, in
-- a later batch or run, reuses them instead of running the model again. Rename and type only.
-- @column article_id: the article (stg_articles.article_id); only articles NER ran on (English, or undetected)
-- @column body_sha256: sha256 of the article's exact body (stg_articles.body)
-- @column ner_key: the model and settings that produced the spans: spans are reused only under the same key
-- @column spans: the model's (char_start, char_end, label) spans, offsets in stg_articles.body
-- @column ner_from: the article whose model run produced the spans: the article itself, or the exact duplicate whose stored spans it reused (for information: that article may since have been deleted or changed)
with source as (
    select * from read_parquet({{ parquet('ner_spans') }}, hive_partitioning = false)
),

renamed as (
    select article_id, body_sha256, ner_key, spans, ner_from
    from source
)

select * from renamed
