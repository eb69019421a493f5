-- The KPI board of the executive S&OP meeting: baseline, total scope, with the change against
-- the last cycle that reported the same KPI. The comparison reads every earlier cycle, so a
-- rebuilt cycle also rebuilds the later ones (meta rebuilds_later_cycles in the YAML).
with total_kpis as (

    select
        cycle,
        kpi,
        value,
        unit
    from {{ ref('stg_sop__kpis') }}
    where scenario = 'baseline'
        and scope_type = 'total'

),

with_previous as (

    select
        cycle,
        kpi,
        value,
        unit,
        lag(cycle) over (partition by kpi order by cycle) as previous_cycle,
        lag(value) over (partition by kpi order by cycle) as previous_value
    from total_kpis

)

select
    cycle,
    kpi,
    value,
    unit,
    previous_cycle,
    previous_value,
    value - previous_value as change
from with_previous
{% if is_incremental() %}
where {{ in_cycle_window('cycle') }}
{% endif %}
