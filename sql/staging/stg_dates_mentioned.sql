-- One row per date an article mentions, resolved against its publication date where
-- possible (`Thursday` in an article of Friday 2022-02-11 is 2022-02-10). Rename and type only.
-- @column article_id: the article (stg_articles.article_id)
-- @column sentence_idx: the sentence the date is in
-- @column char_start: offset of the mention in stg_articles.body
-- @column char_end: offset just past the mention
-- @column text: the mention as written (`next month`, `Feb. 20`)
-- @column value: the resolved date: YYYY-MM-DD, YYYY-MM or YYYY
-- @column resolution: day, month or year
-- @column date_start: first day the value covers
-- @column date_end: last day the value covers
with source as (
    select * from read_parquet({{ parquet('dates_mentioned') }}, hive_partitioning = false)
),

renamed as (
    select article_id, sentence_idx, char_start, char_end, text, value, resolution, date_start, date_end
    from source
)

select * from renamed
