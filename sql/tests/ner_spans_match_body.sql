-- Every article's stored model spans belong to it and lie inside its body; spans reused
-- from another article's model run came with a body of the same hash (only those are
-- hashed here: hashing every body would cost each build seconds per million articles).
select n.article_id
from stg_ner_spans as n
left join stg_articles as a using (article_id)
where a.article_id is null
   or (n.ner_from <> n.article_id and sha256(a.body) <> n.body_sha256)
   or exists (
        select 1 from unnest(n.spans) as t(s)
        where s.char_start < 0 or s.char_end > length(a.body) or s.char_start >= s.char_end
   )
