-- One row per source line that cleaning dropped, with the rule that dropped it.
-- @column article_id: the article (stg_articles.article_id)
-- @test article_id: references stg_articles.article_id
-- @column line_no: 1-based line number in the source (for HTML: of the page source; for JSON: of the record's text)
-- @column text: the removed line
-- @column rule: why it was removed: ocr_noise, photo_caption, photo_credit, related_link, boilerplate, page_furniture, html_boilerplate, html_code, copyright (a notice whose year may date the article)
-- @test rule: accepted_values transforms.clean.RULES
with source as (
    select * from read_parquet({{ parquet('removed_lines') }}, hive_partitioning = false)
),

renamed as (
    select
        article_id,
        line_no,
        text,
        rule
    from source
)

select * from renamed
