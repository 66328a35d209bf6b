-- The identity step decided every per-article entity id (once: stg_entity_identity's key),
-- and a resolved id is an entity that resolves to itself.
select e.entity_id, 'undecided' as problem
from (select distinct entity_id from stg_entities) as e
left join stg_entity_identity as i using (entity_id)
where i.entity_id is null
union all
select i.entity_id, 'resolves to an entity that does not resolve to itself'
from stg_entity_identity as i
left join stg_entity_identity as r on r.entity_id = i.resolved_id
where r.resolved_id is distinct from r.entity_id
