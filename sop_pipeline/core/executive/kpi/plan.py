"""KPI formulas of the plan over the horizon, one value per scenario: margin, budget, capacity,
service and production."""

from __future__ import annotations

import pandas as pd

from sop_pipeline.core.calendar import add_months
from sop_pipeline.core.executive.kpi.definition import KpiDefinition
from sop_pipeline.core.executive.kpi.frames import present, scoped, skip, with_family
from sop_pipeline.core.executive.kpi.inputs import KpiInputs
from sop_pipeline.core.finance.plan import build_financial_plan
from sop_pipeline.core.supply.backorders import new_demand, on_time_demand, unserved_demand

NEAR_TERM_MONTHS = 3


def financial_plan(inputs: KpiInputs) -> pd.DataFrame:
    """The cycle's financial plan, built from the supply plan when the inputs do not carry it."""
    if inputs.financial_plan is not None:
        return inputs.financial_plan
    return build_financial_plan(
        inputs.supply_plan, inputs.demand_plan, inputs.items, inputs.budget, inputs.sales_actuals
    )


def gross_margin_pct(inputs: KpiInputs, cycle: pd.Timestamp, kpi: KpiDefinition) -> pd.DataFrame:
    """Σ gross_margin / Σ revenue of the financial plan over the horizon (revenue at each SKU's
    realised net price, see core.finance.prices)."""
    if not present(inputs.supply_plan):
        return skip(kpi, "no supply plan")
    return scoped(
        financial_plan(inputs),
        kpi,
        ["gross_margin", "revenue"],
        lambda s: s["gross_margin"] / s["revenue"],
    )


def revenue_vs_budget(inputs: KpiInputs, cycle: pd.Timestamp, kpi: KpiDefinition) -> pd.DataFrame:
    """Σ planned revenue (at realised net prices, like the budget) / Σ budget_revenue over the
    family-months the budget covers (a budgeted family with no plan counts with revenue 0)."""
    if not present(inputs.supply_plan):
        return skip(kpi, "no supply plan")
    if not present(inputs.budget):
        return skip(kpi, "no budget export")
    plan = financial_plan(inputs)
    budgeted = plan[plan["budget_revenue"].notna()]
    if budgeted.empty:
        return skip(kpi, "no budget for the plan's months")
    return scoped(
        budgeted,
        kpi,
        ["revenue", "budget_revenue"],
        lambda s: s["revenue"] / s["budget_revenue"],
    )


def capacity_utilization(
    inputs: KpiInputs, cycle: pd.Timestamp, kpi: KpiDefinition
) -> pd.DataFrame:
    """Σ required_hours / Σ available_hours over the horizon."""
    load = inputs.resource_load
    if load is None or not present(load):
        return skip(kpi, "no resource load (resources or routings absent)")
    return scoped(
        load,
        kpi,
        ["required_hours", "available_hours"],
        lambda s: s["required_hours"] / s["available_hours"],
    )


def planned_fill_rate(inputs: KpiInputs, cycle: pd.Timestamp, kpi: KpiDefinition) -> pd.DataFrame:
    """1 − Σ unserved / Σ new demand over the horizon (a backorder carried over months
    counted once, see "Backorders are counted once")."""
    if not present(inputs.supply_plan):
        return skip(kpi, "no supply plan")
    return scoped(
        _with_unserved(inputs),
        kpi,
        ["unserved", "new_demand"],
        lambda s: 1.0 - s["unserved"] / s["new_demand"],
    )


def on_time_fill_rate(inputs: KpiInputs, cycle: pd.Timestamp, kpi: KpiDefinition) -> pd.DataFrame:
    """Σ units shipped in the month they are demanded / Σ units demanded (new demand) over the
    horizon: ASCM's fill rate measured on time, in units. A backorder shipped in a later month
    is not filled (the planned fill rate counts it as served); each month's shipments serve
    the backorders carried in first."""
    if not present(inputs.supply_plan):
        return skip(kpi, "no supply plan")
    plan = inputs.supply_plan
    frame = with_family(
        plan.assign(new_demand=new_demand(plan), on_time=on_time_demand(plan)), inputs.items
    )
    return scoped(frame, kpi, ["on_time", "new_demand"], lambda s: s["on_time"] / s["new_demand"])


def unmet_demand(inputs: KpiInputs, cycle: pd.Timestamp, kpi: KpiDefinition) -> pd.DataFrame:
    """Σ unserved over the horizon: lost sales plus the backorder still owed at its end."""
    if not present(inputs.supply_plan):
        return skip(kpi, "no supply plan")
    return scoped(_with_unserved(inputs), kpi, ["unserved"], lambda s: s["unserved"])


def production_forecast(inputs: KpiInputs, cycle: pd.Timestamp, kpi: KpiDefinition) -> pd.DataFrame:
    """Σ planned production over the horizon."""
    if not present(inputs.supply_plan):
        return skip(kpi, "no supply plan")
    frame = with_family(inputs.supply_plan, inputs.items)
    return scoped(frame, kpi, ["production"], _production)


def production_forecast_next_3m(
    inputs: KpiInputs, cycle: pd.Timestamp, kpi: KpiDefinition
) -> pd.DataFrame:
    """Σ planned production in M, M+1, M+2: the near-term load the plants commit to."""
    if not present(inputs.supply_plan):
        return skip(kpi, "no supply plan")
    frame = with_family(inputs.supply_plan, inputs.items)
    near = frame[(frame["month"] >= cycle) & (frame["month"] < add_months(cycle, NEAR_TERM_MONTHS))]
    return scoped(near, kpi, ["production"], _production)


def _production(sums: pd.DataFrame) -> pd.Series:
    return sums["production"]


def _with_unserved(inputs: KpiInputs) -> pd.DataFrame:
    """Supply plan rows with family, new demand and unserved demand (see supply.backorders)."""
    plan = inputs.supply_plan
    return with_family(
        plan.assign(new_demand=new_demand(plan), unserved=unserved_demand(plan)), inputs.items
    )
