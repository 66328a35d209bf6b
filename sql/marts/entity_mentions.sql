-- materialized: view
-- Every entity mention with its article's title, source and date. `is_named` marks the
-- labels of named things (people, organizations, places, groups, events, works, laws…);
-- the numeric labels (DATE, TIME, MONEY, QUANTITY, PERCENT, ORDINAL, CARDINAL) are not.
-- Mentions in duplicate articles (stg_duplicates) are left out, so that syndicated copies
-- of one story count once in every mart built on this one.
-- @column article_id: the article
-- @column sentence_idx: the sentence
-- @column text: the mention as written
-- @column label: spaCy label
-- @column char_start: offset in the body
-- @column char_end: offset just past the mention
-- @column entity_id: canonical entity id
-- @column canonical_name: canonical entity name
-- @column is_named: true for named things (PERSON, ORG, GPE, LOC, NORP, FAC, EVENT, …), false for numeric labels
-- @column article_title: the article's title
-- @column article_source: the article's agency or outlet
-- @column published_date: the article's publication date
with mentions as (
    select * from stg_entities
),

articles as (
    select article_id, title, source, published_date
    from stg_articles
    where article_id not in (select article_id from stg_duplicates)
),

final as (
    select
        mentions.article_id,
        mentions.sentence_idx,
        mentions.text,
        mentions.label,
        mentions.char_start,
        mentions.char_end,
        mentions.entity_id,
        mentions.canonical_name,
        mentions.label in (
            'PERSON', 'NORP', 'FAC', 'ORG', 'GPE', 'LOC', 'PRODUCT', 'EVENT', 'WORK_OF_ART', 'LAW', 'LANGUAGE'
        ) as is_named,
        articles.title as article_title,
        articles.source as article_source,
        articles.published_date
    from mentions
    inner join articles using (article_id)
)

select * from final
