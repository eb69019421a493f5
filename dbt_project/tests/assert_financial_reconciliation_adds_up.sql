-- The money figures agree with each other: gross margin = revenue - cogs, revenue_gap =
-- revenue - budget_revenue, gross_margin_gap = gross_margin - budget_gross_margin (where there
-- is a budget), within a cent per million. Returns the family-months that do not add up.
with checked as (

    select
        *,
        1e-6 * greatest(1, abs(revenue), abs(coalesce(budget_revenue, 0))) as tolerance
    from {{ ref('financial_reconciliation') }}

)

select
    cycle,
    scenario,
    family,
    month,
    revenue,
    cogs,
    gross_margin,
    budget_revenue,
    revenue_gap,
    budget_gross_margin,
    gross_margin_gap
from checked
where abs(gross_margin - (revenue - cogs)) > tolerance
    or abs(revenue_gap - (revenue - budget_revenue)) > tolerance
    or abs(gross_margin_gap - (gross_margin - budget_gross_margin)) > tolerance
    or (budget_revenue is null) <> (revenue_gap is null)
