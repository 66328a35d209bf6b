-- sentence_idx runs 0..n-1 in every article (stg_sentences' key declares the pairs unique).
select article_id, min(sentence_idx) as first_idx, max(sentence_idx) as last_idx, count(*) as sentences
from stg_sentences
group by article_id
having min(sentence_idx) <> 0 or max(sentence_idx) <> count(*) - 1
