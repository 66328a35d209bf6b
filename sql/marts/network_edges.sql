-- materialized: view
-- Edges of the co-occurrence network: entity_cooccurrence as an undirected, weighted edge
-- list (the weight is the sentences the two entities share). The ends are entity_id_a and
-- entity_id_b as in entity_cooccurrence; `source` means only the agency in this warehouse.
-- @key entity_id_a, entity_id_b
-- @column entity_id_a: entity_id of one end (network_nodes.entity_id)
-- @column entity_id_b: entity_id of the other end
-- @column entity_a: name of one end
-- @column entity_b: name of the other end
-- @column weight: sentences in which both are mentioned
-- @column articles: articles in which they share a sentence
select
    entity_id_a,
    entity_id_b,
    entity_a,
    entity_b,
    sentences as weight,
    articles
from entity_cooccurrence
