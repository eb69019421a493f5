-- The opening stock of every SKU of the cycle's item master, judged against its policy and the
-- plan. Days of supply and slow-moving stock are the `kpi` table's SKU-scope figures (baseline):
-- the mart reads them, it does not apply the KPI rules again. Below safety stock and excess are
-- the SKU's policy against the plan, which no KPI states per SKU.
with items as (

    select
        cycle,
        sku,
        family,
        coalesce(unit_cost, 0) as unit_cost
    from {{ ref('stg_sop__items') }}
    {% if is_incremental() %}
    where {{ in_cycle_window('cycle') }}
    {% endif %}

),

stock as (

    select
        cycle,
        sku,
        sum(on_hand) as on_hand
    from {{ ref('stg_sop__inventory_balances') }}
    group by cycle, sku

),

opening_targets as (

    select
        cycle,
        sku,
        safety_stock
    from {{ ref('stg_sop__supply_plans') }}
    where scenario = 'baseline'
        and month = cycle

),

plan_months as (

    select
        cycle,
        count(distinct month) as months
    from {{ ref('stg_sop__demand_plans') }}
    group by cycle

),

planned_demand as (

    select
        demand.cycle,
        demand.sku,
        sum(demand.demand_quantity) / max(plan_months.months) as avg_monthly_demand
    from {{ ref('stg_sop__demand_plans') }} as demand
    inner join plan_months on demand.cycle = plan_months.cycle
    group by demand.cycle, demand.sku

),

last_sales as (

    select
        cycle,
        sku,
        max(month) as last_sale_month
    from {{ ref('stg_sop__sales_actuals') }}
    where quantity > 0
    group by cycle, sku

),

sku_kpis as (

    select
        cycle,
        scope as sku,
        max(case when kpi = 'days_of_supply' then value end) as days_of_supply,
        max(case when kpi = 'slow_moving_inventory_value' then value end) as slow_moving_value
    from {{ ref('stg_sop__kpis') }}
    where scenario = 'baseline'
        and scope_type = 'sku'
        and kpi in ('days_of_supply', 'slow_moving_inventory_value')
    group by cycle, scope

),

joined as (

    select
        items.cycle,
        items.sku,
        items.family,
        coalesce(stock.on_hand, 0) as on_hand,
        coalesce(stock.on_hand, 0) * items.unit_cost as inventory_value,
        opening_targets.safety_stock,
        coalesce(planned_demand.avg_monthly_demand, 0) as avg_monthly_demand,
        sku_kpis.days_of_supply,
        coalesce(sku_kpis.slow_moving_value, 0) as slow_moving_value,
        policies.min_cover_months,
        policies.max_cover_months,
        last_sales.last_sale_month,
        {{ months_between('last_sales.last_sale_month', 'items.cycle') }}
            as months_since_last_sale
    from items
    left join stock
        on items.cycle = stock.cycle and items.sku = stock.sku
    left join opening_targets
        on items.cycle = opening_targets.cycle and items.sku = opening_targets.sku
    left join planned_demand
        on items.cycle = planned_demand.cycle and items.sku = planned_demand.sku
    left join {{ ref('stg_sop__inventory_policies') }} as policies
        on items.cycle = policies.cycle and items.sku = policies.sku
    left join last_sales
        on items.cycle = last_sales.cycle and items.sku = last_sales.sku
    left join sku_kpis
        on items.cycle = sku_kpis.cycle and items.sku = sku_kpis.sku

),

flagged as (

    select
        *,
        days_of_supply / {{ var('days_per_month') }} as cover_months,
        coalesce(on_hand < safety_stock, false) as is_below_safety_stock,
        coalesce(
            max_cover_months is not null and on_hand > max_cover_months * avg_monthly_demand,
            false
        ) as is_excess,
        slow_moving_value > 0 as is_slow_moving
    from joined

)

select
    cycle,
    sku,
    family,
    on_hand,
    inventory_value,
    safety_stock,
    avg_monthly_demand,
    cover_months,
    days_of_supply,
    min_cover_months,
    max_cover_months,
    last_sale_month,
    months_since_last_sale,
    is_below_safety_stock,
    is_excess,
    is_slow_moving,
    slow_moving_value,
    case
        when is_below_safety_stock then 'below_safety_stock'
        when is_slow_moving then 'slow_moving'
        when is_excess then 'excess'
        else 'healthy'
    end as health_status
from flagged
