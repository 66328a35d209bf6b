-- One row per input file of the published snapshot (the manifest): how it was last seen
-- and what it became. Rename and type only.
-- @key file_key
-- @column file_key: path relative to the input folder
-- @column file_path: absolute path
-- @column size: size in bytes when last ingested
-- @column mtime_ns: modification time (ns since the epoch) when last ingested
-- @column file_sha256: sha256 of the bytes (empty when they could not be read)
-- @column status: what the file became: article, reject, mixed (a multi-record file with both), or retry (rejected as unreadable: every run reads it again)
-- @test status: not_null, accepted_values transforms.schemas.FILE_STATUSES
-- @column articles: articles from this file
-- @column rejects: rejects from this file
-- @column part: the Parquet part-file group holding its rows
-- @column run_id: the run that last processed it
with source as (
    select * from read_parquet({{ parquet('files') }}, hive_partitioning = false)
),

renamed as (
    select
        source_key as file_key,
        source_path as file_path,
        size,
        mtime_ns,
        source_sha256 as file_sha256,
        status,
        articles,
        rejects,
        part,
        run_id
    from source
)

select * from renamed
