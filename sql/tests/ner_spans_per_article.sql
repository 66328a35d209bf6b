-- NER ran on, or was spared for, every English (or undetected) article exactly once, and
-- on no other.
select a.article_id
from stg_articles as a
left join (select article_id, count(*) as n from stg_ner_spans group by article_id) as s using (article_id)
where coalesce(s.n, 0) <> case when a.language is null or a.language = 'en' then 1 else 0 end
