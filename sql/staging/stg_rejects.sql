-- One row per input file (or record) that produced no article, with the reason.
with source as (
    select * from read_parquet({{ parquet('rejects') }})
),

renamed as (
    select
        source_path,
        source_record,
        source_sha256,
        reason,
        detail,
        run_id
    from source
)

select * from renamed
