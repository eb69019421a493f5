"""KPIs on executed production in the last actual month (cycle - 1): attainment of the previous
cycle's plan and production order cycle time. Reported under scenario 'baseline'."""

from __future__ import annotations

import pandas as pd

from sop_pipeline.core.calendar import add_months, month_starts
from sop_pipeline.core.executive.kpi.definition import KpiDefinition
from sop_pipeline.core.executive.kpi.frames import as_baseline, present, scoped, skip, with_family
from sop_pipeline.core.executive.kpi.inputs import KpiInputs
from sop_pipeline.core.names import BASELINE


def plan_attainment(inputs: KpiInputs, cycle: pd.Timestamp, kpi: KpiDefinition) -> pd.DataFrame:
    """Σ quantity of production orders finished in M−1 / Σ production the previous cycle's
    baseline plan had for M−1."""
    orders, previous = inputs.production_orders, inputs.previous_supply_plan
    if orders is None:
        return skip(kpi, "no production_orders export")
    if previous is None or not present(previous):
        return skip(kpi, "no supply plan of the previous cycle (first cycle on record)")
    last = add_months(cycle, -1)
    baseline = previous[(previous["month"] == last) & (previous["scenario"] == BASELINE)]
    planned = baseline.groupby("sku", as_index=False).agg(production=("production", "sum"))
    actual = _finished_in(orders, last).groupby("sku", as_index=False)["quantity"].sum()
    both = planned.merge(actual, on="sku", how="outer").fillna({"production": 0.0, "quantity": 0.0})
    frame = as_baseline(with_family(both, inputs.items))
    return scoped(frame, kpi, ["quantity", "production"], lambda s: s["quantity"] / s["production"])


def cycle_time(inputs: KpiInputs, cycle: pd.Timestamp, kpi: KpiDefinition) -> pd.DataFrame:
    """Mean (finish_date − start_date) in days of the production orders finished in M−1."""
    orders = inputs.production_orders
    if orders is None or not present(orders):
        return skip(kpi, "no production_orders export")
    finished = _finished_in(orders, add_months(cycle, -1)).dropna(subset=["start_date"])
    if finished.empty:
        return skip(kpi, "no production order finished last month")
    days = (finished["finish_date"] - finished["start_date"]).dt.days.astype(float)
    frame = as_baseline(with_family(finished.assign(days=days, orders=1.0), inputs.items))
    return scoped(frame, kpi, ["days", "orders"], lambda s: s["days"] / s["orders"])


def _finished_in(orders: pd.DataFrame, month: pd.Timestamp) -> pd.DataFrame:
    return orders[month_starts(orders["finish_date"]) == month]
