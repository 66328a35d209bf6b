-- A duplicate links to an article that is itself an original, never to itself (that it
-- links to an existing article, and its kind, are declared in stg_duplicates.sql).
select d.article_id, d.duplicate_of
from stg_duplicates as d
where d.article_id = d.duplicate_of
    or d.duplicate_of in (select article_id from stg_duplicates)
