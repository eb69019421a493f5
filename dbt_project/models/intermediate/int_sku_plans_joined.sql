-- Demand and baseline supply of one SKU-month side by side: the demand plan summed over
-- regions, joined with the baseline supply plan. A SKU-month on one side only keeps its row,
-- with zeros on the other.
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
        -- a backorder still owed is in demand and unmet_demand of every month it is carried:
        -- count it once, as core/supply/backorders.py does for the KPIs
        demand - coalesce(
            lag(coalesce(backorder, 0)) over (partition by cycle, sku order by month), 0
        ) as supply_demand_quantity,
        production,
        ending_inventory,
        safety_stock,
        unmet_demand - coalesce(backorder, 0) + case
            when month = max(month) over (partition by cycle, sku) then coalesce(backorder, 0)
            else 0
        end as unmet_demand
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
        coalesce(baseline_supply.supply_demand_quantity, 0) as supply_demand_quantity,
        coalesce(baseline_supply.production, 0) as production,
        coalesce(baseline_supply.ending_inventory, 0) as ending_inventory,
        coalesce(baseline_supply.safety_stock, 0) as safety_stock,
        coalesce(baseline_supply.unmet_demand, 0) as unmet_demand,
        baseline_supply.sku is not null as has_supply_plan
    from demand
    full outer join baseline_supply
        on demand.cycle = baseline_supply.cycle
        and demand.sku = baseline_supply.sku
        and demand.month = baseline_supply.month

)

select * from joined
