-- sentence_count agrees with the sentences table.
select a.article_id, a.sentence_count, count(s.article_id) as sentences
from stg_articles as a
left join stg_sentences as s using (article_id)
group by a.article_id, a.sentence_count
having a.sentence_count <> count(s.article_id)
