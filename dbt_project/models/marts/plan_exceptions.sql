-- The supply review's exception list, ready to filter: each problem with the family of its SKU,
-- how many months ahead it is, and the revenue at risk of a shortage.
with exceptions as (

    select * from {{ ref('stg_sop__exceptions') }}
    {% if is_incremental() %}
    where {{ in_cycle_window('cycle') }}
    {% endif %}

)

select
    exceptions.cycle,
    exceptions.scenario,
    exceptions.kind,
    exceptions.sku,
    exceptions.resource,
    exceptions.month,
    items.family,
    {{ months_between('exceptions.cycle', 'exceptions.month') }} as months_ahead,
    exceptions.quantity,
    case when exceptions.kind = 'overload' then 'hours' else 'units' end as unit,
    case
        when exceptions.kind = 'unmet_demand' then exceptions.quantity * items.unit_price
    end as revenue_at_risk,
    exceptions.shadow_price,
    exceptions.message
from exceptions
left join {{ ref('stg_sop__items') }} as items
    on exceptions.cycle = items.cycle
    and exceptions.sku = items.sku
