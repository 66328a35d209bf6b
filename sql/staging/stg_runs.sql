-- One row per finished ingest run: what it saw and produced, and how long it took.
-- @key run_id
-- @column run_id: the run's id (start time and a random suffix)
-- @column started_at: when the run started (UTC)
-- @column finished_at: when its row was written, just before the warehouse build (UTC)
-- @column input_dir: the folder it ingested
-- @column files_seen: files found in the input folder
-- @column articles: articles in the warehouse after the run
-- @column sentences: sentences in the warehouse after the run
-- @column entities: entity mentions in the warehouse after the run
-- @column rejects: rejected files or records in the warehouse after the run
-- @column files_new: files not in the previous run's manifest
-- @column files_changed: files whose size or modification time changed since the previous run
-- @column files_unchanged: files left as they were (not read again)
-- @column files_deleted: files gone from the input folder (their rows were removed)
-- @column files_skipped: files still being written, left for the next run
-- @column duration_s: seconds from the start to just before the warehouse build
-- @column model: the spaCy pipeline used
-- @column workers: worker processes used for the batches
with source as (
    select * from read_parquet({{ parquet('runs') }}, hive_partitioning = false)
),

renamed as (
    select
        run_id,
        started_at,
        finished_at,
        input_dir,
        files_seen,
        articles,
        sentences,
        entities,
        rejects,
        files_new,
        files_changed,
        files_unchanged,
        files_deleted,
        files_skipped,
        duration_s,
        model,
        workers
    from source
)

select * from renamed
