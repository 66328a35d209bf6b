-- One row per number an article gives with what it counts (`more than 30,000 soldiers`).
-- Rename and type only.
-- @column article_id: the article (stg_articles.article_id)
-- @column sentence_idx: the sentence the amount is in
-- @column char_start: offset of the amount in stg_articles.body
-- @column char_end: offset just past it
-- @column text: the amount as written
-- @column value: the number (130,000 → 130000; $1.5 billion → 1500000000); a range's upper end
-- @column value_low: the low end of a range (`70,000-80,000 casualties` → 70000); the value for one number
-- @column value_high: the high end of a range (→ 80000); the value for one number
-- @column unit: what is counted, as written (`soldiers`), or a currency code (USD)
-- @column qualifier: more than, at least, about, up to or less than; null when exact
with source as (
    select * from read_parquet({{ parquet('amounts') }}, hive_partitioning = false)
),

renamed as (
    select article_id, sentence_idx, char_start, char_end, text, value, value_low, value_high, unit, qualifier
    from source
)

select * from renamed
