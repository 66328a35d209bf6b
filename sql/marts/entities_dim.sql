-- materialized: table
-- One row per resolved entity: its one name and label, every spelling it was written as,
-- the per-article ids merged into it and the rules that merged them (the archive-level
-- identity step, stg_entity_identity), its counts (the same as top_entities'), and where
-- it is if it is a place.
-- @key entity_id
-- @column entity_id: resolved entity id
-- @column canonical_name: the entity's one name
-- @column label: the entity's one label (the majority of its mentions'; ORG for an agency)
-- @column aliases: every distinct spelling in the text, sorted
-- @column merged_ids: per-article entity ids merged into this one, sorted (empty if none)
-- @column merge_rules: the rules that merged them, sorted (alias, diacritics, descriptor, spelling, transliteration, middle_name, org_short_form, agency, label, short_form)
-- @column mentions: mentions in original (non-duplicate) articles
-- @column articles: original articles mentioning it
-- @column country_code: places: ISO 3166 alpha-2 country
-- @column latitude: places: latitude
-- @column longitude: places: longitude
-- @column first_date: earliest publication date of an article mentioning it
-- @column last_date: latest such date
with mentions as (
    select * from entity_mentions
),

merges as (
    select
        resolved_id as entity_id,
        list_sort(list(entity_id) filter (where entity_id <> resolved_id)) as merged_ids,
        list_sort(list_distinct(list(rule) filter (where entity_id <> resolved_id))) as merge_rules
    from stg_entity_identity
    group by resolved_id
),

-- A place's most frequent (country, point) among the entities resolved to it, taken as one
-- row so the country and the point agree; ties go to the first in order (not to whichever
-- row came first, which varies from build to build).
places as (
    select entity_id, country_code, latitude, longitude
    from (
        select i.resolved_id as entity_id, e.country_code, e.latitude, e.longitude, count(*) as n
        from stg_entities as e
        inner join stg_entity_identity as i using (entity_id)
        where e.country_code is not null
        group by all
    )
    qualify row_number() over (
        partition by entity_id order by n desc, country_code, latitude nulls last, longitude nulls last
    ) = 1
),

counts as (
    select
        entity_id,
        any_value(canonical_name) as canonical_name,
        any_value(label) as label,
        list_sort(list_distinct(list(text))) as aliases,
        count(*) as mentions,
        count(distinct article_id) as articles,
        min(published_date) as first_date,
        max(published_date) as last_date
    from mentions
    group by entity_id
),

final as (
    select
        c.entity_id,
        c.canonical_name,
        c.label,
        c.aliases,
        coalesce(m.merged_ids, []) as merged_ids,
        coalesce(m.merge_rules, []) as merge_rules,
        c.mentions,
        c.articles,
        p.country_code,
        p.latitude,
        p.longitude,
        c.first_date,
        c.last_date
    from counts as c
    left join merges as m using (entity_id)
    left join places as p using (entity_id)
)

select * from final
order by mentions desc, canonical_name
