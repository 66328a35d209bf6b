-- One row per finished ingest run: what it saw and produced, and how long it took.
with source as (
    select * from read_parquet({{ parquet('runs') }})
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
