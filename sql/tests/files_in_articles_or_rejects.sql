-- A file is either in articles or in rejects for the latest run, never both at once
-- (multi-record files may be in both, one record each way).
select a.file_path
from stg_articles as a
inner join stg_rejects as r
    on a.file_path = r.file_path
    and r.file_record is null
