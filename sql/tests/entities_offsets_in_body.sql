-- Every mention is the text of its article's body between its offsets, inside its sentence.
select e.article_id, e.char_start, e.text
from stg_entities as e
inner join stg_articles as a using (article_id)
left join stg_sentences as s
    on s.article_id = e.article_id and s.sentence_idx = e.sentence_idx
where substring(a.body, e.char_start + 1, e.char_end - e.char_start) <> e.text
    or s.article_id is null
    or e.char_start < s.char_start
