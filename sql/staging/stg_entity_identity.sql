-- One identity per real-world entity across the archive (flows/identity.py, after the
-- batches): each per-article entity id with the id every mart counts it as.
-- @key entity_id
-- @column entity_id: the per-article entity id (stg_entities.entity_id)
-- @column resolved_id: the entity it is counted as (equal to entity_id for an entity alone or a cluster's anchor)
-- @column canonical_name: the resolved entity's one name
-- @column label: the resolved entity's one label (the majority of its mentions'; ORG for an agency)
-- @test label: not_null, accepted_values transforms.entities.NAME_LABELS
-- @column rule: how entity_id joined resolved_id: self, alias, diacritics, descriptor, spelling, transliteration, middle_name, org_short_form, agency, label, short_form
-- @test rule: accepted_values transforms.identity.RULES
-- @column block: the skeleton of the name's last word; a new run re-decides only the blocks its mentions touch
-- @column overrides: a hash of the user's alias rows (reference/aliases.csv) the decision used; a change re-decides every block
-- @column run_id: the run that last decided this row
with source as (
    select * from read_parquet({{ parquet('entity_identity') }}, hive_partitioning = false)
),

renamed as (
    select
        entity_id,
        resolved_id,
        canonical_name,
        label,
        rule,
        block,
        overrides,
        run_id
    from source
)

select * from renamed
