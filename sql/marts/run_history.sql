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
select
    run_id, started_at, finished_at, input_dir,
    files_seen, files_new, files_changed, files_unchanged, files_deleted, files_skipped,
    articles, rejects, sentences, entities, duration_s, model, workers
from stg_runs
order by started_at desc
