-- One row per entity mention (spaCy NER on the clean body), with its canonical entity.
-- @column article_id: the article (stg_articles.article_id)
-- @test article_id: references stg_articles.article_id
-- @column sentence_idx: the sentence the mention is in (stg_sentences.sentence_idx)
-- @column text: the mention as written, without leading determiners or possessives
-- @test text: not_blank
-- @column label: spaCy label of a named thing (transforms.entities.NAME_LABELS): PERSON, ORG, GPE, LOC, NORP, EVENT, …
-- @test label: not_null, accepted_values transforms.entities.NAME_LABELS
-- @column char_start: offset of the mention in stg_articles.body
-- @column char_end: offset just past the mention in stg_articles.body
-- @column entity_id: canonical entity id: equal for every spelling of one entity (Nato, NATO, North Atlantic Treaty Organization)
-- @test entity_id: not_null
-- @column canonical_name: the canonical entity's name
-- @test canonical_name: not_null
-- @column country_code: places only: ISO 3166 alpha-2 country (cities map to their country; SU for the Soviet Union)
-- @column latitude: places only: latitude of the place (a country's population-weighted centre)
-- @column longitude: places only: longitude of the place
-- @column entity_key: what entity_id hashes (kind and normalized name, e.g. PERSON:sergey lavrov)
with source as (
    select * from read_parquet({{ parquet('entities') }}, hive_partitioning = false)
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
        canonical_name,
        country_code,
        latitude,
        longitude,
        entity_key
    from source
)

select * from renamed
