-- Every sentence belongs to an article.
select s.article_id
from stg_sentences as s
left join stg_articles as a using (article_id)
where a.article_id is null
