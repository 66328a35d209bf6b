-- A duplicate links to an existing article that is itself an original, never to itself.
select d.article_id, d.duplicate_of
from stg_duplicates as d
left join stg_articles as a on a.article_id = d.duplicate_of
where a.article_id is null
    or d.article_id = d.duplicate_of
    or d.duplicate_of in (select article_id from stg_duplicates)
    or d.kind not in ('exact', 'near')
