-- One row per article that duplicates an earlier one: exact (same body up to case,
-- punctuation and spacing) or near (MinHash-estimated Jaccard similarity ≥ 0.8 of word
-- 5-shingles: syndicated copy with small edits). Rename and type only.
-- @column article_id: the duplicate article
-- @column duplicate_of: the earlier article it copies (earliest published, then lowest id)
-- @column kind: exact (same body up to case, punctuation, spacing) or near (small edits)
-- @column similarity: estimated Jaccard similarity of the two bodies' word 5-shingles (1.0 for exact)
with source as (
    select * from read_parquet({{ parquet('duplicates') }}, hive_partitioning = false)
),

renamed as (
    select
        article_id,
        duplicate_of,
        kind,
        similarity
    from source
)

select * from renamed
