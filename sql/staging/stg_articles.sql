-- One row per article (a file, or a record of a multi-record file). Rename and type only.
with source as (
    select * from read_parquet({{ parquet('articles') }})
),

renamed as (
    select
        article_id,
        source_path,
        source_record,
        source_sha256,
        source_format,
        encoding,
        title,
        authors,
        source,
        published_date,
        date_source,
        dateline_place,
        dateline_source,
        language,
        body,
        word_count,
        sentence_count,
        ingested_at,
        run_id,
        body_fingerprint,
        minhash
    from source
)

select * from renamed
