-- Every work centre a cycle's supply plan knows: the `resources` export and the resources the
-- routings load (a routed resource missing from `resources` is planned with zero hours).
select distinct cycle, resource
from {{ ref('stg_sop__resources') }}
union
select distinct cycle, resource
from {{ ref('stg_sop__routings') }}
