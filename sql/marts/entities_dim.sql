-- materialized: table
-- One row per canonical entity: its name, label, every spelling it was written as, how
-- often it is mentioned, and where it is if it is a place. People known in some articles
-- by surname only (`Putin` where the article never gives his full name) are merged into
-- the one person of the corpus with that surname (never when two people share it).
-- @column entity_id: canonical entity id (after the corpus-wide surname merge)
-- @column canonical_name: the name most of its mentions resolve to
-- @column label: the label most of its mentions carry
-- @column entity_key: the normalized key of the entity (kind:name)
-- @column aliases: every distinct spelling in the text, sorted
-- @column mention_count: mentions in original (non-duplicate) articles
-- @column article_count: original articles mentioning it
-- @column country_code: places: ISO 3166 alpha-2 country
-- @column latitude: places: latitude
-- @column longitude: places: longitude
-- @column first_date: earliest publication date of an article mentioning it
-- @column last_date: latest such date
-- @column merged_ids: entity ids merged into this one (surname-only people), empty if none
with mentions as (
    select * from entity_mentions where is_named
),

people as (
    select distinct entity_id, entity_key, string_split(entity_key, ' ') as words
    from stg_entities
    where entity_key like 'PERSON:%'
),

surname_merges as (
    select s.entity_id, any_value(f.entity_id) as merged_into
    from people as s
    inner join people as f
        on len(s.words) = 1 and len(f.words) > 1 and 'PERSON:' || f.words[-1] = s.entity_key
    group by s.entity_id
    having count(distinct f.entity_id) = 1
),

resolved as (
    select coalesce(m.merged_into, e.entity_id) as entity_id, e.entity_id as original_id, e.*
        exclude (entity_id)
    from mentions as e
    left join surname_merges as m using (entity_id)
),

keys as (
    select distinct entity_id, entity_key from stg_entities
),

final as (
    select
        r.entity_id,
        mode(r.canonical_name) filter (where r.original_id = r.entity_id) as canonical_name,
        mode(r.label) as label,
        any_value(k.entity_key) as entity_key,
        list_sort(list_distinct(list(r.text))) as aliases,
        count(*) as mention_count,
        count(distinct r.article_id) as article_count,
        any_value(e.country_code) as country_code,
        any_value(e.latitude) as latitude,
        any_value(e.longitude) as longitude,
        min(r.published_date) as first_date,
        max(r.published_date) as last_date,
        coalesce(list_sort(list_distinct(list(r.original_id) filter (where r.original_id <> r.entity_id))), []) as merged_ids
    from resolved as r
    left join keys as k on k.entity_id = r.entity_id
    left join (
        select entity_id, any_value(country_code) as country_code, any_value(latitude) as latitude,
            any_value(longitude) as longitude
        from stg_entities
        where country_code is not null
        group by entity_id
    ) as e on e.entity_id = r.entity_id
    group by r.entity_id
)

select * from final
order by mention_count desc, canonical_name
