-- materialized: table
-- Sentences that one source repeats across three or more different stories ("Reporting
-- by …", "Sign up for our newsletter"): boilerplate to leave out of text analyses, as
-- Media Cloud's sentence-level de-duplication does. Original articles only
-- (int_original_articles): duplicate articles are not counted.
-- @key source, text
-- @column source: agency or outlet (`unknown` when the article names none)
-- @column text: the sentence (as first seen)
-- @column articles: distinct original articles of the source containing it
-- @column first_date: earliest publication date it appears on
-- @column last_date: latest publication date it appears on
with sentences as (
    select
        coalesce(a.source, 'unknown') as source,
        lower(regexp_replace(trim(s.text), '\s+', ' ', 'g')) as normalized,
        s.text,
        s.article_id,
        a.published_date
    from stg_sentences as s
    inner join int_original_articles as a using (article_id)
),

final as (
    select
        source,
        min(text) as text,
        count(distinct article_id) as articles,
        min(published_date) as first_date,
        max(published_date) as last_date
    from sentences
    group by source, normalized
    having count(distinct article_id) >= 3
)

select * from final
order by articles desc, source, text
