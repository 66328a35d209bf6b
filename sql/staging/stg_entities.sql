-- One row per entity mention (spaCy NER on the clean body), with its canonical entity.
with source as (
    select * from read_parquet({{ parquet('entities') }})
),

renamed as (
    select
        article_id,
        sentence_idx,
        text,
        label,
        char_start,
        char_end,
        entity_id,
        canonical_name
    from source
)

select * from renamed
