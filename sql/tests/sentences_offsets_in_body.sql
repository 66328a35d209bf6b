-- Every sentence is the text of its article's body between its offsets.
select s.article_id, s.sentence_idx
from stg_sentences as s
inner join stg_articles as a using (article_id)
where s.char_start < 0
    or s.char_end > length(a.body)
    or s.char_start >= s.char_end
    or substring(a.body, s.char_start + 1, s.char_end - s.char_start) <> s.text
