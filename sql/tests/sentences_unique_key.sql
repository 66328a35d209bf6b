-- (article_id, sentence_idx) is unique, and sentence_idx runs 0..n-1.
select article_id, sentence_idx
from stg_sentences
group by article_id, sentence_idx
having count(*) > 1
union all
select article_id, null
from stg_sentences
group by article_id
having min(sentence_idx) <> 0 or max(sentence_idx) <> count(*) - 1
