-- materialized: table
-- Pairs of canonical named entities mentioned in the same sentence (entity_a < entity_b by
-- name), with the number of sentences and articles they share.
-- @key entity_id_a, entity_id_b
-- @column entity_id_a: one entity's id
-- @column entity_a: its name
-- @column label_a: its label
-- @column entity_id_b: the other entity's id
-- @column entity_b: its name
-- @column label_b: its label
-- @column sentences: sentences mentioning both
-- @column articles: articles with such a sentence
with mentions as (
    select distinct article_id, sentence_idx, entity_id from entity_mentions
),

names as (
    select entity_id, canonical_name, label from top_entities
),

pairs as (
    select
        a.entity_id as entity_id_a,
        b.entity_id as entity_id_b,
        count(*) as sentences,
        count(distinct a.article_id) as articles
    from mentions as a
    inner join mentions as b
        on a.article_id = b.article_id
        and a.sentence_idx = b.sentence_idx
        and a.entity_id <> b.entity_id
    group by all
),

final as (
    select
        pairs.entity_id_a,
        name_a.canonical_name as entity_a,
        name_a.label as label_a,
        pairs.entity_id_b,
        name_b.canonical_name as entity_b,
        name_b.label as label_b,
        pairs.sentences,
        pairs.articles
    from pairs
    inner join names as name_a on pairs.entity_id_a = name_a.entity_id
    inner join names as name_b on pairs.entity_id_b = name_b.entity_id
    where name_a.canonical_name < name_b.canonical_name
        or (name_a.canonical_name = name_b.canonical_name and pairs.entity_id_a < pairs.entity_id_b)
)

select * from final
order by sentences desc, articles desc, entity_a, entity_b
