-- Every date, amount and quote is the text of its article's body between its offsets,
-- and belongs to an article.
with spans as (
    select 'dates_mentioned' as tbl, article_id, char_start, char_end, text from stg_dates_mentioned
    union all
    select 'amounts', article_id, char_start, char_end, text from stg_amounts
    union all
    select 'quotes', article_id, char_start, char_end, text from stg_quotes
)

select spans.tbl, spans.article_id, spans.char_start, spans.text
from spans
left join stg_articles as a using (article_id)
where a.article_id is null
    or spans.char_start < 0
    or spans.char_end > length(a.body)
    or substring(a.body, spans.char_start + 1, spans.char_end - spans.char_start) <> spans.text
