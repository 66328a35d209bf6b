-- materialized: table
-- Which sources and agencies the corpus comes from, and how much of it is duplicated
-- wire copy.
-- @key source
-- @column source: agency or outlet (`unknown` when the article names none)
-- @column articles: all articles from the source, duplicates included
-- @column originals: articles that copy no earlier article
-- @column exact_duplicates: articles identical to an earlier one (up to case and spacing)
-- @column near_duplicates: articles nearly identical to an earlier one (small edits)
-- @column duplicate_share: (exact + near duplicates) / articles
-- @column first_date: earliest publication date
-- @column last_date: latest publication date
with articles as (
    select coalesce(a.source, 'unknown') as source, a.published_date, d.kind
    from stg_articles as a
    left join stg_duplicates as d using (article_id)
),

final as (
    select
        source,
        count(*) as articles,
        count(*) filter (where kind is null) as originals,
        count(*) filter (where kind = 'exact') as exact_duplicates,
        count(*) filter (where kind = 'near') as near_duplicates,
        round(count(kind) / count(*), 4) as duplicate_share,
        min(published_date) as first_date,
        max(published_date) as last_date
    from articles
    group by source
)

select * from final
order by articles desc, source
