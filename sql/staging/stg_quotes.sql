-- One row per quotation, with its speaker where the attribution names one. Rename and type only.
-- @column article_id: the article (stg_articles.article_id)
-- @column sentence_idx: the sentence the quote starts in
-- @column char_start: offset of the quoted words (without their marks) in stg_articles.body
-- @column char_end: offset just past the quoted words
-- @column text: the quoted words
-- @column speaker_text: the speaker as the attribution writes it (`Lukashenko`, `the Pentagon`, `he`, `the president`)
-- @column speaker_entity_id: the speaker's canonical entity id, where found
-- @test speaker_entity_id: references stg_entities.entity_id
-- @column speaker_name: the speaker's canonical name in its article (a role or pronoun resolved to the person named), where found
-- @column verb: the attribution verb as written (`said`, `told`); null for `according to` or a colon
with source as (
    select * from read_parquet({{ parquet('quotes') }}, hive_partitioning = false)
),

renamed as (
    select article_id, sentence_idx, char_start, char_end, text, speaker_text, speaker_entity_id, speaker_name, verb
    from source
)

select * from renamed
