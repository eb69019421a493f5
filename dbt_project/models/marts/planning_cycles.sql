-- One row per planning cycle with a plan or an export drop: the cycle dimension the other marts
-- point to, with the headline figures of its baseline plan. Fill rate and production are the
-- `kpi` table's figures (baseline, total scope), not worked out again here.
with sku_plans as (

    select
        cycle,
        count(distinct sku) as skus_planned,
        sum(demand_quantity) as planned_demand
    from {{ ref('int_sku_plans_joined') }}
    group by cycle

),

capacity as (

    select
        cycle,
        count(distinct resource) as resources_planned
    from {{ ref('stg_sop__resource_loads') }}
    group by cycle

),

kpis as (

    select
        cycle,
        count(*) as kpi_rows,
        max(case when kpi = 'planned_fill_rate' and is_baseline_total then value end)
            as planned_fill_rate,
        max(case when kpi = 'production_forecast' and is_baseline_total then value end)
            as planned_production
    from (
        select
            *,
            scenario = 'baseline' and scope_type = 'total' as is_baseline_total
        from {{ ref('stg_sop__kpis') }}
    ) as kpi_rows
    group by cycle

),

cycles as (

    select cycle from sku_plans
    union
    select cycle from capacity
    union
    select cycle from kpis
    union
    select distinct cycle from {{ ref('stg_sop__items') }}

)

select
    cycles.cycle,
    coalesce(sku_plans.skus_planned, 0) as skus_planned,
    coalesce(sku_plans.planned_demand, 0) as planned_demand,
    coalesce(kpis.planned_production, 0) as planned_production,
    kpis.planned_fill_rate,
    coalesce(capacity.resources_planned, 0) > 0 as has_capacity_plan,
    coalesce(kpis.kpi_rows, 0) as kpi_rows
from cycles
left join sku_plans on cycles.cycle = sku_plans.cycle
left join capacity on cycles.cycle = capacity.cycle
left join kpis on cycles.cycle = kpis.cycle
