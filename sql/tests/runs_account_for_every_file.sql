-- The latest run accounts for every file it saw: each is in the manifest (as articles
-- and/or rejects) or was skipped to be tried again (still being written).
with latest as (
    select * from stg_runs order by finished_at desc limit 1
)

select latest.run_id, latest.files_seen, latest.files_skipped, (select count(*) from stg_files) as in_manifest
from latest
where latest.files_seen <> (select count(*) from stg_files) + latest.files_skipped
