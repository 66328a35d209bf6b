-- One row per sentence of an article's clean body; body[char_start:char_end] = text.
with source as (
    select * from read_parquet({{ parquet('sentences') }})
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
