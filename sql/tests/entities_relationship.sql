-- Every mention belongs to an article.
select e.article_id
from stg_entities as e
left join stg_articles as a using (article_id)
where a.article_id is null
