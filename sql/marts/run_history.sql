-- materialized: view
-- One row per ingest run, newest first: when it ran, what it saw, what it produced, and
-- how long it took — the health of the pipeline.
-- @key run_id
-- @column run_id: the run's id (start time and a random suffix)
-- @column started_at: when the run started (UTC)
-- @column finished_at: when its row was written, before the warehouse build (UTC)
-- @column input_dir: the folder it ingested
-- @column files_seen: files found in the input folder
-- @column files_new: files not in the previous run's manifest
-- @column files_changed: files whose size or modification time changed
-- @column files_unchanged: files skipped because they had not changed
-- @column files_deleted: files gone since the previous run (their rows were removed)
-- @column files_skipped: files still being written, left for the next run
-- @column articles: articles in the warehouse after the run
-- @column rejects: rejected files or records in the warehouse after the run
-- @column sentences: sentences in the warehouse after the run
-- @column entities: entity mentions in the warehouse after the run
-- @column duration_s: seconds from start to just before the warehouse build
-- @column model: the spaCy pipeline used
-- @column workers: worker processes used for the batches
-- @column table_versions: the Delta Lake version the run published of each table of the
--   store (table name -> version, as the store's table_versions and DeltaTable(...).version()
--   say; the rows are the table run_table_versions); NULL for an object store kept as
--   snapshot JSON (memory://), which has no Delta versions, and for the runs an
--   older wirehouse made before its store became Delta tables (none published a version)
select
    r.run_id, r.started_at, r.finished_at, r.input_dir,
    r.files_seen, r.files_new, r.files_changed, r.files_unchanged, r.files_deleted, r.files_skipped,
    r.articles, r.rejects, r.sentences, r.entities, r.duration_s, r.model, r.workers,
    v.table_versions
from stg_runs as r
left join (
    select run_id, map_from_entries(list(struct_pack(k := table_name, v := version) order by table_name)) as table_versions
    from run_table_versions
    group by run_id
) as v using (run_id)
order by r.started_at desc
