-- materialized: table
-- One row per canonical named entity: its most used name and label, how often and in how
-- many articles it is mentioned, and the first and last publication date it appears on.
with mentions as (
    select * from entity_mentions where is_named
),

final as (
    select
        entity_id,
        mode(canonical_name) as canonical_name,
        mode(label) as label,
        count(*) as mentions,
        count(distinct article_id) as articles,
        min(published_date) as first_date,
        max(published_date) as last_date
    from mentions
    group by entity_id
)

select * from final
order by mentions desc, articles desc, canonical_name
