-- materialized: table
-- Articles per publication day and source: how much the corpus covers each day, and from
-- whom. Duplicates are counted apart, so a wire story syndicated five times is visible.
-- @key date, source
-- @column date: publication date (articles without one are left out)
-- @column source: agency or outlet (`unknown` when the article names none)
-- @column articles: original articles published that day by that source
-- @column duplicates: exact or near copies of earlier articles, same day and source
-- @column words: words in the original articles' clean bodies
with articles as (
    select a.article_id, a.published_date, coalesce(a.source, 'unknown') as source, a.word_count,
        d.article_id is not null as is_duplicate
    from stg_articles as a
    left join stg_duplicates as d using (article_id)
    where a.published_date is not null
),

final as (
    select
        published_date as date,
        source,
        count(*) filter (where not is_duplicate) as articles,
        count(*) filter (where is_duplicate) as duplicates,
        coalesce(sum(word_count) filter (where not is_duplicate), 0) as words
    from articles
    group by all
)

select * from final
order by date, source
