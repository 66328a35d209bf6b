-- One row per article (a file, or a record of a multi-record file). Rename and type only:
-- the Parquet's source_* columns of the input file are file_* here, as in stg_rejects and
-- stg_files, because `source` in the warehouse means the agency or outlet.
-- @key article_id
-- @column article_id: stable id of the article: hash of its file's path in the input folder (and record number)
-- @test article_id: unique, not_null
-- @column file_path: absolute path of the input file
-- @test file_path: not_null
-- @column file_record: line (JSON Lines) or index (JSON list) of the record in a multi-record file; null otherwise
-- @column file_sha256: sha256 of the input file's bytes
-- @test file_sha256: not_null
-- @column file_format: text, html, json or jsonl, with +gzip when the file was compressed
-- @column encoding: the text encoding the file was decoded from
-- @column title: headline
-- @column authors: author names (never agencies: those go to source)
-- @test authors: not_null
-- @column source: wire agency or outlet (AFP, Reuters, BelTA, …), or null
-- @column published_date: publication date, or null when none could be trusted
-- @column date_source: where the date came from: header, byline_line, inline_marker, dateline, html_meta, json_field, file_name (a date in the file's name, `20220128T201500Z_….txt`), file_path (in its folders, `2022/01/28/…`) or none
-- @test date_source: not_null, accepted_values transforms.parse.DATE_SOURCES
-- @column dateline_place: place of the dateline opening the story (MINSK, … → Minsk), or null
-- @column dateline_source: agency named in the dateline ((BelTA), (AP)), or null
-- @column language: ISO 639-1 language of the body; non-English articles get no entities
-- @column body: the clean text: junk lines removed, wraps and hyphenation joined, quotes repaired; paragraphs separated by a blank line
-- @test body: not_blank
-- @column word_count: words in the body
-- @test word_count: not_null
-- @column sentence_count: sentences in the body (rows in stg_sentences)
-- @test sentence_count: not_null
-- @column ingested_at: when the run that wrote the article started (UTC)
-- @test ingested_at: not_null
-- @column run_id: the run that wrote the article
-- @column body_fingerprint: hash of the body up to case, punctuation and spacing: equal for exact duplicates
-- @column minhash: MinHash signature (64 values) of the body's word 5-shingles, for near-duplicate detection
with source as (
    select * from read_parquet({{ parquet('articles') }}, hive_partitioning = false)
),

renamed as (
    select
        article_id,
        source_path as file_path,
        source_record as file_record,
        source_sha256 as file_sha256,
        source_format as file_format,
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
        -- A file Delta's optimize wrote declares it bigint[] (Delta has no unsigned type): one type for every file.
        minhash::uinteger[] as minhash
    from source
)

select * from renamed
