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
    """Σ quantity of production orders finished in M−1 / Σ production planned to finish in
    M−1: for a SKU of lead time L months, the production the baseline plan of cycle M−1−L had
    for its own first month (an order started in M−1−L finishes in M−1). SKUs whose plan of
    that cycle is not on record (lead time beyond the history read, early cycles) are left out
    of both sides."""
    orders, history = inputs.production_orders, inputs.supply_plan_history
    if orders is None:
        return skip(kpi, "no production_orders export")
    if history is None or not present(history):
        return skip(kpi, "no supply plan of the previous cycle (first cycle on record)")
    last = add_months(cycle, -1)
    planned = _planned_finishes(history, inputs.items, last)
    if planned.empty:
        return skip(kpi, "no supply plan on record from the month the orders were to start")
    actual = _finished_in(orders, last).groupby("sku", as_index=False)["quantity"].sum()
    both = planned.merge(actual, on="sku", how="left").fillna({"quantity": 0.0})
    frame = as_baseline(with_family(both, inputs.items))
    return scoped(frame, kpi, ["quantity", "production"], lambda s: s["quantity"] / s["production"])


def _planned_finishes(
    history: pd.DataFrame, items: pd.DataFrame, month: pd.Timestamp
) -> pd.DataFrame:
    """Per SKU: the baseline production planned, in the cycle it was to start, to finish in
    `month`: sku, production (SKUs whose start cycle is not in `history` absent)."""
    lead = items.drop_duplicates("sku").set_index("sku")
    lead_time = lead["lead_time_months"] if "lead_time_months" in lead else pd.Series(0, lead.index)
    baseline = history[history["scenario"] == BASELINE]
    months_back = baseline["sku"].map(pd.to_numeric(lead_time).fillna(0).astype(int)).fillna(0)
    start = pd.to_datetime(
        pd.Series([add_months(month, -int(back)) for back in months_back], index=baseline.index)
    )
    started = (baseline["cycle"] == start) & (baseline["month"] == start)
    return baseline[started].groupby("sku", as_index=False).agg(production=("production", "sum"))


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
