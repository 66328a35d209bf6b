-- materialized: view
-- Every entity mention with its article's title, source and date, counted as the one
-- entity the archive-level identity step decided (stg_entity_identity): `Putin` in an
-- article that never names him in full, `Vladamir Putin` and `Vladimir Putin` are one
-- entity_id with one name and one label here, and every mart builds on this view.
-- Only mentions in original articles (int_original_articles), so that syndicated copies
-- of one story count once in every mart built on this one. Every mention is of a named
-- thing (stg_entities keeps only transforms.entities.NAME_LABELS, which its test checks).
-- @key article_id, char_start
-- @column article_id: the article
-- @column sentence_idx: the sentence
-- @column text: the mention as written
-- @column label: the resolved entity's one label (stg_entity_identity.label)
-- @column mention_label: the label of this mention in its article
-- @column char_start: offset in the body
-- @column char_end: offset just past the mention
-- @column entity_id: the resolved entity id (stg_entity_identity.resolved_id)
-- @column mention_entity_id: the per-article entity id (stg_entities.entity_id)
-- @column canonical_name: the resolved entity's one name
-- @column article_title: the article's title
-- @column article_source: the article's agency or outlet
-- @column published_date: the article's publication date
with mentions as (
    select * from stg_entities
),

identity as (
    select entity_id, resolved_id, canonical_name, label from stg_entity_identity
),

articles as (
    select article_id, title, source, published_date from int_original_articles
),

final as (
    select
        mentions.article_id,
        mentions.sentence_idx,
        mentions.text,
        coalesce(identity.label, mentions.label) as label,
        mentions.label as mention_label,
        mentions.char_start,
        mentions.char_end,
        coalesce(identity.resolved_id, mentions.entity_id) as entity_id,
        mentions.entity_id as mention_entity_id,
        coalesce(identity.canonical_name, mentions.canonical_name) as canonical_name,
        articles.title as article_title,
        articles.source as article_source,
        articles.published_date
    from mentions
    inner join articles using (article_id)
    left join identity on identity.entity_id = mentions.entity_id
)

select * from final
