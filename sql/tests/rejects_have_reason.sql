-- Every reject says why.
select source_path
from stg_rejects
where reason is null or trim(reason) = '' or detail is null
