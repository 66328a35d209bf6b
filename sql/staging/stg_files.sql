-- One row per input file of the published snapshot (the manifest): how it was last seen
-- and what it became. Rename and type only.
with source as (
    select * from read_parquet({{ parquet('files') }})
),

renamed as (
    select
        source_key,
        source_path,
        size,
        mtime_ns,
        source_sha256,
        status,
        articles,
        rejects,
        part,
        run_id
    from source
)

select * from renamed
