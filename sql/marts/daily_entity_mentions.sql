-- materialized: table
-- Mentions of each canonical named entity per publication date (articles without a date
-- are left out).
-- @key date, entity_id
-- @column date: publication date
-- @column entity_id: canonical entity id
-- @column canonical_name: the entity's name
-- @column label: the entity's label
-- @column mentions: mentions that day
-- @column articles: articles mentioning it that day
with mentions as (
    select * from entity_mentions where published_date is not null
),

names as (
    select entity_id, canonical_name, label from top_entities
),

final as (
    select
        mentions.published_date as date,
        mentions.entity_id,
        names.canonical_name,
        names.label,
        count(*) as mentions,
        count(distinct mentions.article_id) as articles
    from mentions
    inner join names using (entity_id)
    group by all
)

select * from final
order by date, mentions desc, canonical_name
