-- The model's spans per paragraph, as the model read it: a paragraph that comes again (in
-- the same batch, a later batch or a later run) reuses them instead of running the model
-- (flows/pipeline/ner_cache.py). Stored once, by the article whose model run they are.
-- Rename and type only.
-- @column article_id: the article whose model run produced the spans (stg_articles.article_id; for information: that article may since have been deleted or changed)
-- @column unit_sha256: sha256 of exactly what the model read: one paragraph of the body, ALL-CAPS runs recased
-- @column ner_key: the model and settings that produced the spans: spans are reused only under the same key
-- @column spans: the model's (char_start, char_end, label) spans, offsets in the paragraph
with source as (
    select * from read_parquet({{ parquet('ner_units') }}, hive_partitioning = false)
),

renamed as (
    select article_id, unit_sha256, ner_key, spans
    from source
)

select * from renamed
