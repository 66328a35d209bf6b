-- materialized: view
-- Edges of the co-occurrence network (entity_cooccurrence under the names graph tools
-- expect), weighted by the sentences the two entities share.
-- @column source: entity_id of one end
-- @column target: entity_id of the other end
-- @column source_name: name of the source entity
-- @column target_name: name of the target entity
-- @column weight: sentences in which both are mentioned
-- @column articles: articles in which they share a sentence
select
    entity_id_a as source,
    entity_id_b as target,
    entity_a as source_name,
    entity_b as target_name,
    sentences as weight,
    articles
from entity_cooccurrence
