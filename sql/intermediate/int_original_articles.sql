-- materialized: view
-- The original articles: every article that copies no earlier one (stg_duplicates), with
-- the columns the marts show. Syndicated wire copy counts once in every mart because each
-- reads its articles here instead of repeating the filter. An intermediate model, not a
-- staging view: staging renames and casts one Parquet table, and this joins two (dbt's
-- intermediate layer); a view, so it costs nothing until a mart reads it.
-- @key article_id
-- @column article_id: the article (stg_articles.article_id)
-- @test article_id: references stg_articles.article_id
-- @column title: headline
-- @column source: wire agency or outlet, or null
-- @column published_date: publication date, or null
-- @column word_count: words in the body
select article_id, title, source, published_date, word_count
from stg_articles
where article_id not in (select article_id from stg_duplicates)
