-- Rough-cut capacity per work centre and month for every scenario, with the overtime cost and
-- a status a planner can filter on.
with loads as (

    select * from {{ ref('stg_sop__resource_loads') }}
    {% if is_incremental() %}
    where {{ in_cycle_window('cycle') }}
    {% endif %}

),

resources as (

    select
        cycle,
        resource,
        month,
        overtime_cost_per_hour
    from {{ ref('stg_sop__resources') }}

),

joined as (

    select
        loads.cycle,
        loads.scenario,
        loads.resource,
        loads.month,
        loads.required_hours,
        loads.available_hours,
        loads.overtime_hours,
        loads.utilization,
        loads.unconstrained_required_hours,
        loads.shadow_price,
        case
            when loads.available_hours > 0
                then loads.unconstrained_required_hours / loads.available_hours
        end as unconstrained_utilization,
        greatest(loads.available_hours - loads.required_hours, 0) as spare_hours,
        loads.overtime_hours * coalesce(resources.overtime_cost_per_hour, 0) as overtime_cost
    from loads
    left join resources
        on loads.cycle = resources.cycle
        and loads.resource = resources.resource
        and loads.month = resources.month

)

select
    *,
    case
        when coalesce(available_hours, 0) <= 0 and coalesce(required_hours, 0) <= 0 then 'idle'
        when coalesce(available_hours, 0) <= 0 then 'no_capacity'
        when required_hours > available_hours then 'overtime'
        else 'within_capacity'
    end as load_status
from joined
