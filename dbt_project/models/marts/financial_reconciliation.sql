-- The pre-S&OP reconciliation: each scenario's plan in money against the budget, per family and
-- month. What the capacity gap costs is the unconstrained demand's figure minus the plan's.
with plan as (

    select * from {{ ref('stg_sop__financial_plans') }}
    {% if is_incremental() %}
    where {{ in_cycle_window('cycle') }}
    {% endif %}

)

select
    cycle,
    scenario,
    family,
    month,
    revenue,
    cogs,
    gross_margin,
    case when revenue <> 0 then gross_margin / revenue end as gross_margin_pct,
    unconstrained_revenue,
    unconstrained_gross_margin,
    unconstrained_revenue - revenue as capacity_gap_revenue,
    unconstrained_gross_margin - gross_margin as capacity_gap_margin,
    budget_revenue,
    revenue_gap,
    case when budget_revenue <> 0 then revenue / budget_revenue end as revenue_vs_budget,
    budget_gross_margin,
    gross_margin_gap,
    inventory_value,
    budget_revenue is not null as has_budget
from plan
