-- One row per article that duplicates an earlier one: exact (same body up to case,
-- punctuation and spacing) or near (MinHash-estimated Jaccard similarity ≥ 0.8 of word
-- 5-shingles: syndicated copy with small edits). Rename and type only.
-- @key article_id
-- @column article_id: the duplicate article
-- @test article_id: references stg_articles.article_id
-- @column duplicate_of: the earlier article it copies (earliest published, then lowest id)
-- @test duplicate_of: not_null, references stg_articles.article_id
-- @column kind: exact (same body up to case, punctuation, spacing) or near (small edits)
-- @test kind: not_null, accepted_values transforms.schemas.DUPLICATE_KINDS
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
