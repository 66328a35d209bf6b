-- Every removed line belongs to an article and names a known rule.
select r.article_id, r.line_no, r.rule
from stg_removed_lines as r
left join stg_articles as a using (article_id)
where a.article_id is null
    or r.rule not in (
        'ocr_noise', 'photo_caption', 'photo_credit', 'related_link', 'boilerplate',
        'page_furniture', 'html_boilerplate', 'html_code', 'copyright'
    )
