-- One row per sentence of an article's clean body; body[char_start:char_end] = text.
-- @key article_id, sentence_idx
-- @column article_id: the article (stg_articles.article_id)
-- @test article_id: references stg_articles.article_id
-- @column sentence_idx: 0-based position of the sentence in the article
-- @column text: the sentence
-- @column char_start: offset of its first character in stg_articles.body
-- @column char_end: offset just past its last character in stg_articles.body
-- @column raw_char_start: offset of its first character in the source text (the decoded file; for HTML the extracted text; for JSON the record's text field)
-- @column raw_char_end: offset just past its last character in the source text
with source as (
    select * from read_parquet({{ parquet('sentences') }}, hive_partitioning = false)
),

renamed as (
    select
        article_id,
        sentence_idx,
        text,
        char_start,
        char_end,
        raw_char_start,
        raw_char_end
    from source
)

select * from renamed
