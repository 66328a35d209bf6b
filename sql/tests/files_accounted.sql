-- Every input file of the snapshot is accounted for: its articles and rejects are in the
-- warehouse in the numbers the manifest says, and no article or reject lacks a file.
with counted as (
    select
        f.file_path,
        f.articles,
        f.rejects,
        (select count(*) from stg_articles as a where a.file_path = f.file_path) as found_articles,
        (select count(*) from stg_rejects as r where r.file_path = f.file_path) as found_rejects
    from stg_files as f
)

select file_path, 'miscounted' as problem
from counted
where articles <> found_articles or rejects <> found_rejects or articles + rejects = 0
union all
select a.file_path, 'article without a file'
from stg_articles as a
anti join stg_files as f using (file_path)
union all
select r.file_path, 'reject without a file'
from stg_rejects as r
anti join stg_files as f using (file_path)
