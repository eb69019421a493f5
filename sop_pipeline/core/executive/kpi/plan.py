"""KPIs of the plan over the horizon, one value per scenario: margin, budget, capacity,
service and production."""

from __future__ import annotations

import pandas as pd

from sop_pipeline.core.executive.kpi.frames import present, scoped, skip, with_family
from sop_pipeline.core.executive.kpi.inputs import KpiInputs
from sop_pipeline.core.finance.plan import build_financial_plan
from sop_pipeline.core.supply.backorders import new_demand, unserved_demand

FAMILY_SCOPES = ("total", "family")
NEAR_TERM_MONTHS = 3


def financial_plan(inputs: KpiInputs) -> pd.DataFrame:
    """The cycle's financial plan, built from the supply plan when the inputs do not carry it."""
    if inputs.financial_plan is not None:
        return inputs.financial_plan
    return build_financial_plan(inputs.supply_plan, inputs.demand_plan, inputs.items, inputs.budget)


def gross_margin_pct(inputs: KpiInputs, cycle: pd.Timestamp) -> pd.DataFrame:
    """Planned gross margin / planned revenue over the horizon."""
    kpi = "gross_margin_pct"
    if not present(inputs.supply_plan):
        return skip(kpi, "no supply plan")
    return scoped(
        financial_plan(inputs),
        kpi,
        "ratio",
        FAMILY_SCOPES,
        ["gross_margin", "revenue"],
        lambda s: s["gross_margin"] / s["revenue"],
    )


def revenue_vs_budget(inputs: KpiInputs, cycle: pd.Timestamp) -> pd.DataFrame:
    """Planned revenue / budget revenue over the months and families the budget covers."""
    kpi = "revenue_vs_budget"
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
        "ratio",
        FAMILY_SCOPES,
        ["revenue", "budget_revenue"],
        lambda s: s["revenue"] / s["budget_revenue"],
    )


def capacity_utilization(inputs: KpiInputs, cycle: pd.Timestamp) -> pd.DataFrame:
    """Σ required hours / Σ available hours over the horizon, in total and per resource."""
    kpi = "capacity_utilization"
    load = inputs.resource_load
    if load is None or not present(load):
        return skip(kpi, "no resource load (resources or routings absent)")
    return scoped(
        load,
        kpi,
        "ratio",
        ("total", "resource"),
        ["required_hours", "available_hours"],
        lambda s: s["required_hours"] / s["available_hours"],
    )


def planned_fill_rate(inputs: KpiInputs, cycle: pd.Timestamp) -> pd.DataFrame:
    """1 - Σ unserved / Σ new demand over the horizon (a carried backorder counted once)."""
    kpi = "planned_fill_rate"
    if not present(inputs.supply_plan):
        return skip(kpi, "no supply plan")
    frame = _with_unserved(inputs)
    return scoped(
        frame,
        kpi,
        "ratio",
        FAMILY_SCOPES,
        ["unserved", "new_demand"],
        lambda s: 1.0 - s["unserved"] / s["new_demand"],
    )


def unmet_demand(inputs: KpiInputs, cycle: pd.Timestamp) -> pd.DataFrame:
    """Units of demand the plan never serves over the horizon: lost sales plus the backorder
    still owed at its end."""
    kpi = "unmet_demand"
    if not present(inputs.supply_plan):
        return skip(kpi, "no supply plan")
    frame = _with_unserved(inputs)
    return scoped(frame, kpi, "units", FAMILY_SCOPES, ["unserved"], lambda s: s["unserved"])


def _with_unserved(inputs: KpiInputs) -> pd.DataFrame:
    """Supply plan rows with family, new demand and unserved demand (see supply.backorders)."""
    plan = inputs.supply_plan
    return with_family(
        plan.assign(new_demand=new_demand(plan), unserved=unserved_demand(plan)), inputs.items
    )


def production_forecast(inputs: KpiInputs, cycle: pd.Timestamp) -> pd.DataFrame:
    """Planned production units: over the horizon (`production_forecast`) and over the next
    three months (`production_forecast_next_3m`), the near-term load the plants commit to."""
    if not present(inputs.supply_plan):
        return skip("production_forecast", "no supply plan")
    frame = with_family(inputs.supply_plan, inputs.items)
    near_end = pd.Timestamp(cycle) + pd.DateOffset(months=NEAR_TERM_MONTHS)
    near = frame[(frame["month"] >= cycle) & (frame["month"] < near_end)]
    return pd.concat(
        [
            scoped(
                frame, "production_forecast", "units", FAMILY_SCOPES, ["production"], _production
            ),
            scoped(
                near,
                "production_forecast_next_3m",
                "units",
                FAMILY_SCOPES,
                ["production"],
                _production,
            ),
        ],
        ignore_index=True,
    )


def _production(sums: pd.DataFrame) -> pd.Series:
    return sums["production"]
