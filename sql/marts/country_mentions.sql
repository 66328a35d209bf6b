-- materialized: table
-- Mentions per country, counting its cities and regions with it (Minsk counts for BY):
-- the per-country chart.
-- @key country_code
-- @column country_code: ISO 3166 alpha-2 country
-- @column places: distinct places of that country mentioned (the country itself included)
-- @column mentions: mentions of the country and its places in original articles
-- @column articles: original articles mentioning the country or one of its places
with mentions as (
    select m.article_id, m.entity_id, p.country_code
    from entity_mentions as m
    inner join places as p using (entity_id)
)

select country_code, count(distinct entity_id) as places, count(*) as mentions, count(distinct article_id) as articles
from mentions
group by country_code
order by mentions desc, country_code
