-- A resolved date's value matches its resolution and its range.
select article_id, text, value, resolution
from stg_dates_mentioned
where resolution not in ('day', 'month', 'year')
    or date_start > date_end
    or (resolution = 'day' and (value <> strftime(date_start, '%Y-%m-%d') or date_start <> date_end))
    or (resolution = 'month' and value <> strftime(date_start, '%Y-%m'))
    or (resolution = 'year' and value <> strftime(date_start, '%Y'))
