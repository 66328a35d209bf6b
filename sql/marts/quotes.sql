-- materialized: table
-- What a given person (or organization) said, and where: one row per quotation (filter
-- by speaker) with its speaker (as the archive-level identity step resolved it, so a
-- speaker counts as the same entity as in every other mart), article and date. Original
-- articles only (int_original_articles): quotes in duplicate articles are left out.
-- @key article_id, char_start
-- @column speaker_entity_id: the speaker's resolved entity id (stg_entity_identity.resolved_id; null when not resolved)
-- @test speaker_entity_id: references stg_entity_identity.resolved_id
-- @column speaker: the speaker's resolved name (a role, `the president`, or a pronoun resolved to
--   the person the article names); as written when no entity is found, but never a bare
--   pronoun or role (`he`, `the spokesman` unresolved are null: they would count strangers as one)
-- @column quote: the quoted words
-- @column verb: the attribution verb (`said`, `told`, …)
-- @column article_id: the article
-- @column title: the article's title
-- @column source: the article's agency or outlet
-- @column published_date: the article's publication date
-- @column char_start: offset of the quote in the article's body
select
    coalesce(i.resolved_id, q.speaker_entity_id) as speaker_entity_id,
    coalesce(
        i.canonical_name,
        q.speaker_name,
        case
            when lower(q.speaker_text) not in ('he', 'she', 'it', 'they', 'him', 'her', 'them')
                and lower(q.speaker_text) not like 'the %'
                then q.speaker_text
        end
    ) as speaker,
    q.text as quote,
    q.verb,
    q.article_id,
    a.title,
    a.source,
    a.published_date,
    q.char_start
from stg_quotes as q
inner join int_original_articles as a using (article_id)
left join stg_entity_identity as i on i.entity_id = q.speaker_entity_id
order by a.published_date, speaker, q.char_start
