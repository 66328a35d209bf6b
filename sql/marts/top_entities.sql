-- materialized: table
-- One row per resolved named entity (stg_entity_identity): its one name and label, how
-- often and in how many articles it is mentioned, and the first and last publication date
-- it appears on. The ranking the README, `wirehouse query` examples and the dashboard
-- read: entities_dim's counting columns, so both give one number for one entity (the
-- dimension adds aliases, merges and coordinates, which a ranking does not need).
-- @key entity_id
-- @column entity_id: resolved entity id
-- @column canonical_name: the entity's one name
-- @column label: the entity's one label (the majority of its mentions')
-- @column mentions: mentions in original articles
-- @column articles: original articles mentioning it
-- @column first_date: earliest publication date of an article mentioning it
-- @column last_date: latest such date
select entity_id, canonical_name, label, mentions, articles, first_date, last_date
from entities_dim
order by mentions desc, articles desc, canonical_name
