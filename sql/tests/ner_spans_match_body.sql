-- Every article's stored model spans belong to it: its body hashes to body_sha256 (so a
-- copy reusing them has the same text) and every span lies inside the body.
select n.article_id
from stg_ner_spans as n
left join stg_articles as a using (article_id)
where a.article_id is null
   or sha256(a.body) <> n.body_sha256
   or exists (
        select 1 from unnest(n.spans) as t(s)
        where s.char_start < 0 or s.char_end > length(a.body) or s.char_start >= s.char_end
   )
