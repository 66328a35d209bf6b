-- materialized: table
-- Places mentioned (countries, cities, regions) with their country and coordinates, for a
-- map: one row per resolved place (entities_dim's rows with a country).
-- @key entity_id
-- @column entity_id: resolved entity id of the place
-- @column canonical_name: the place's name (GeoNames' spelling)
-- @column label: GPE, LOC or FAC
-- @column country_code: ISO 3166 alpha-2 country (a city's country; SU for the Soviet Union)
-- @column latitude: latitude (null when the gazetteer has no point, e.g. a US state)
-- @column longitude: longitude
-- @column mentions: mentions in original articles
-- @column articles: original articles mentioning it
select entity_id, canonical_name, label, country_code, latitude, longitude, mentions, articles
from entities_dim
where country_code is not null
order by mentions desc, canonical_name
