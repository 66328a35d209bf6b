-- One row per source line that cleaning dropped, with the rule that dropped it.
with source as (
    select * from read_parquet({{ parquet('removed_lines') }})
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
