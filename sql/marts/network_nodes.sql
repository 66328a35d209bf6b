-- materialized: view
-- Nodes of the co-occurrence network: the named entities that share a sentence with at
-- least one other entity, sized by mentions.
-- @key entity_id
-- @column entity_id: canonical entity id (the edges' entity_id_a / entity_id_b)
-- @column canonical_name: the entity's name
-- @column label: the entity's spaCy label
-- @column mentions: all mentions of the entity
-- @column degree: how many other entities it shares a sentence with
with edges as (
    select entity_id_a as entity_id from entity_cooccurrence
    union all
    select entity_id_b from entity_cooccurrence
),

final as (
    select t.entity_id, t.canonical_name, t.label, t.mentions, count(*) as degree
    from top_entities as t
    inner join edges using (entity_id)
    group by all
)

select * from final
order by mentions desc, canonical_name
