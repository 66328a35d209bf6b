-- materialized: table
-- One row per resolved named entity (stg_entity_identity): its one name and label, how
-- often and in how many articles it is mentioned, and the first and last publication date
-- it appears on.
-- @column entity_id: resolved entity id
-- @column canonical_name: the entity's one name
-- @column label: the entity's one label (the majority of its mentions')
-- @column mentions: mentions in original articles
-- @column articles: original articles mentioning it
-- @column first_date: earliest publication date of an article mentioning it
-- @column last_date: latest such date
with mentions as (
    select * from entity_mentions where is_named
),

final as (
    select
        entity_id,
        any_value(canonical_name) as canonical_name,
        any_value(label) as label,
        count(*) as mentions,
        count(distinct article_id) as articles,
        min(published_date) as first_date,
        max(published_date) as last_date
    from mentions
    group by entity_id
)

select * from final
order by mentions desc, articles desc, canonical_name
