-- The item master as last loaded: each SKU's row from the latest cycle that listed it, so that a
-- SKU dropped from a later export (phased out) still has its family in reports on old cycles.
with ranked as (

    select
        sku,
        family,
        unit_cost,
        unit_price,
        cycle as last_loaded_cycle,
        row_number() over (partition by sku order by cycle desc) as recency
    from {{ ref('stg_sop__items') }}

)

select
    sku,
    family,
    unit_cost,
    unit_price,
    last_loaded_cycle
from ranked
where recency = 1
