-- Every mart gives the same name, label and counts for an entity: top_entities,
-- entities_dim, places, network_nodes, the daily and weekly trends and the co-occurrence
-- names all read the one identity decision (stg_entity_identity).
with top as (
    select entity_id, canonical_name, label, mentions, articles from top_entities
),

dated as (
    select entity_id, count(*) as mentions from entity_mentions where published_date is not null group by all
),

daily as (
    select entity_id, sum(mentions) as mentions, any_value(canonical_name) as canonical_name, any_value(label) as label
    from daily_entity_mentions group by all
),

weekly as (
    select entity_id, sum(mentions) as mentions from weekly_entity_mentions group by all
),

names as (
    select entity_id_a as entity_id, entity_a as canonical_name, label_a as label from entity_cooccurrence
    union
    select entity_id_b, entity_b, label_b from entity_cooccurrence
),

disagreements as (
    select 'entities_dim' as mart, t.entity_id
    from top as t full join entities_dim as d using (entity_id)
    where d.entity_id is null or t.entity_id is null
        or (t.canonical_name, t.label, t.mentions, t.articles) is distinct from (d.canonical_name, d.label, d.mentions, d.articles)
    union all
    select 'places', p.entity_id
    from places as p left join top as t using (entity_id)
    where (t.canonical_name, t.label, t.mentions, t.articles) is distinct from (p.canonical_name, p.label, p.mentions, p.articles)
    union all
    select 'network_nodes', n.entity_id
    from network_nodes as n left join top as t using (entity_id)
    where (t.canonical_name, t.label, t.mentions) is distinct from (n.canonical_name, n.label, n.mentions)
    union all
    select 'daily_entity_mentions', coalesce(x.entity_id, y.entity_id)
    from dated as x full join daily as y using (entity_id)
    where x.mentions is distinct from y.mentions
    union all
    select 'daily_entity_mentions names', y.entity_id
    from daily as y left join top as t using (entity_id)
    where (t.canonical_name, t.label) is distinct from (y.canonical_name, y.label)
    union all
    select 'weekly_entity_mentions', coalesce(x.entity_id, w.entity_id)
    from daily as x full join weekly as w using (entity_id)
    where x.mentions is distinct from w.mentions
    union all
    select 'entity_cooccurrence', c.entity_id
    from names as c left join top as t using (entity_id)
    where (t.canonical_name, t.label) is distinct from (c.canonical_name, c.label)
)

select * from disagreements
