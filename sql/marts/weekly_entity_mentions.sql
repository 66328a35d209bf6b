-- materialized: table
-- Mentions of each canonical named entity per ISO week (Monday start), with the change
-- against the previous week: who is rising.
-- @key week, entity_id
-- @column week: Monday of the ISO week of publication
-- @column entity_id: canonical entity id
-- @column canonical_name: the entity's name
-- @column label: the entity's spaCy label (PERSON, ORG, GPE, …)
-- @column mentions: mentions that week (duplicates of earlier articles not counted)
-- @column articles: articles mentioning it that week
-- @column previous_mentions: mentions the week before (0 if none)
-- @column change: mentions minus previous_mentions
with daily as (
    select * from daily_entity_mentions
),

weekly as (
    select
        date_trunc('week', date)::date as week,
        entity_id,
        canonical_name,
        label,
        sum(mentions) as mentions,
        sum(articles) as articles
    from daily
    group by all
),

final as (
    select
        week,
        entity_id,
        canonical_name,
        label,
        mentions,
        articles,
        coalesce(lag(mentions) over (partition by entity_id order by week), 0) as previous_mentions,
        mentions - coalesce(lag(mentions) over (partition by entity_id order by week), 0) as change
    from weekly
)

select * from final
order by week, mentions desc, canonical_name
