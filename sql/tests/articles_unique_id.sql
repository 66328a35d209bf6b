-- Each article id appears once.
select article_id, count(*) as n
from stg_articles
group by article_id
having count(*) > 1
