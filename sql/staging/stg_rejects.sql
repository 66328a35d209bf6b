-- One row per input file (or record) that produced no article, with the reason.
-- @column file_path: absolute path of the file
-- @column file_record: the record of a multi-record file that was rejected; null when the whole file was
-- @column file_sha256: sha256 of the file's bytes (empty when it could not be read)
-- @column reason: short reason: empty, binary, no_text, invalid_json, unsupported_format, too_large, unreadable, not_regular, …
-- @test reason: not_blank
-- @column detail: what exactly was wrong, in words
-- @test detail: not_null
-- @column run_id: the run that rejected it
with source as (
    select * from read_parquet({{ parquet('rejects') }}, hive_partitioning = false)
),

renamed as (
    select
        source_path as file_path,
        source_record as file_record,
        source_sha256 as file_sha256,
        reason,
        detail,
        run_id
    from source
)

select * from renamed
