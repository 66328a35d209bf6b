-- materialized: view
-- Every entity mention with its article's title, source and date. `is_named` marks the
-- labels of named things (people, organizations, places, groups, events, works, laws…);
-- the numeric labels (DATE, TIME, MONEY, QUANTITY, PERCENT, ORDINAL, CARDINAL) are not.
-- Mentions in duplicate articles (stg_duplicates) are left out, so that syndicated copies
-- of one story count once in every mart built on this one.
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
