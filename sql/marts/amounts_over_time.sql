-- materialized: table
-- Reported numbers over time (`130,000 soldiers`, `more than 30,000 troops`), by what they
-- count: how a figure moved from one article to the next. Original articles only
-- (int_original_articles): duplicates are left out.
-- @key article_id, char_start
-- @column published_date: the article's publication date
-- @column unit: what is counted (`soldiers`, `troops`, USD, …)
-- @column value: the number (a range's upper end)
-- @column value_low: the low end of a range (`70,000-80,000` → 70000); the value for one number
-- @column value_high: the high end of a range (→ 80000); the value for one number
-- @column qualifier: more than, about, up to, … (null when exact)
-- @column text: the amount as written
-- @column sentence: the sentence it was reported in
-- @column article_id: the article
-- @column title: the article's title
-- @column source: the article's agency or outlet
-- @column char_start: offset of the amount in the article's body
select
    a.published_date,
    m.unit,
    m.value,
    m.value_low,
    m.value_high,
    m.qualifier,
    m.text,
    s.text as sentence,
    m.article_id,
    a.title,
    a.source,
    m.char_start
from stg_amounts as m
inner join int_original_articles as a using (article_id)
inner join stg_sentences as s on s.article_id = m.article_id and s.sentence_idx = m.sentence_idx
order by m.unit, a.published_date, m.value
