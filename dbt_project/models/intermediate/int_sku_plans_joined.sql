-- Demand and baseline supply of one SKU-month side by side: the demand plan summed over
-- regions, joined with the baseline supply plan. A SKU-month on one side only keeps its row,
-- with zeros on the other. Figures over the horizon (fill rate, unmet demand, production) are
-- KPIs: read them from stg_sop__kpis, which counts a carried backorder once.
with demand as (

    select
        cycle,
        sku,
        month,
        sum(statistical_quantity) as statistical_quantity,
        sum(demand_quantity) as demand_quantity
    from {{ ref('stg_sop__demand_plans') }}
    group by cycle, sku, month

),

baseline_supply as (

    select
        cycle,
        sku,
        month,
        production,
        ending_inventory,
        safety_stock
    from {{ ref('stg_sop__supply_plans') }}
    where scenario = 'baseline'

),

joined as (

    select
        coalesce(demand.cycle, baseline_supply.cycle) as cycle,
        coalesce(demand.sku, baseline_supply.sku) as sku,
        coalesce(demand.month, baseline_supply.month) as month,
        coalesce(demand.statistical_quantity, 0) as statistical_quantity,
        coalesce(demand.demand_quantity, 0) as demand_quantity,
        coalesce(baseline_supply.production, 0) as production,
        coalesce(baseline_supply.ending_inventory, 0) as ending_inventory,
        coalesce(baseline_supply.safety_stock, 0) as safety_stock,
        baseline_supply.sku is not null as has_supply_plan
    from demand
    full outer join baseline_supply
        on demand.cycle = baseline_supply.cycle
        and demand.sku = baseline_supply.sku
        and demand.month = baseline_supply.month

)

select * from joined
