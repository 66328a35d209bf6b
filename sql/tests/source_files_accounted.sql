-- A file is either in articles or in rejects for the latest run, never both at once
-- (multi-record files may be in both, one record each way).
select a.source_path
from stg_articles as a
inner join stg_rejects as r
    on a.source_path = r.source_path
    and r.source_record is null
