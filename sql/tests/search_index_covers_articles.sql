-- The search index (flows/warehouse/search.py) holds every original article once, and nothing else.
with indexed as (
    select name as article_id, count(*) as copies from fts_main_article_search.docs group by name
),

originals as (
    select article_id from int_original_articles
)

select coalesce(o.article_id, i.article_id) as article_id, i.copies
from originals as o
full outer join indexed as i using (article_id)
where o.article_id is null or i.article_id is null or i.copies <> 1
