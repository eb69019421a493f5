"""KPIs on executed production in the last actual month (cycle - 1): attainment of the previous
cycle's plan and production order cycle time. Reported under scenario 'baseline'."""

from __future__ import annotations

import pandas as pd

from sop_pipeline.core.executive.kpi.frames import (
    BASELINE,
    as_baseline,
    months_before,
    present,
    scoped,
    skip,
    with_family,
)
from sop_pipeline.core.executive.kpi.inputs import KpiInputs


def plan_attainment(inputs: KpiInputs, cycle: pd.Timestamp) -> pd.DataFrame:
    """Production finished in cycle - 1 / the previous cycle's baseline planned production for
    that month, in total, per family and per SKU (scopes with nothing planned are left out)."""
    kpi = "plan_attainment"
    orders, previous = inputs.production_orders, inputs.previous_supply_plan
    if orders is None:
        return skip(kpi, "no production_orders export")
    if previous is None or not present(previous):
        return skip(kpi, "no supply plan of the previous cycle (first cycle on record)")
    last = months_before(cycle, 1)
    baseline = previous[(previous["month"] == last) & (previous["scenario"] == BASELINE)]
    planned = baseline.groupby("sku", as_index=False).agg(production=("production", "sum"))
    actual = _finished_in(orders, last).groupby("sku", as_index=False)["quantity"].sum()
    both = planned.merge(actual, on="sku", how="outer").fillna({"production": 0.0, "quantity": 0.0})
    frame = as_baseline(with_family(both, inputs.items))
    return scoped(
        frame,
        kpi,
        "ratio",
        ("total", "family", "sku"),
        ["quantity", "production"],
        lambda s: s["quantity"] / s["production"],
    )


def cycle_time(inputs: KpiInputs, cycle: pd.Timestamp) -> pd.DataFrame:
    """Mean days from start to finish of the production orders finished in cycle - 1, in total
    and per family."""
    kpi = "cycle_time"
    orders = inputs.production_orders
    if orders is None or not present(orders):
        return skip(kpi, "no production_orders export")
    finished = _finished_in(orders, months_before(cycle, 1)).dropna(subset=["start_date"])
    if finished.empty:
        return skip(kpi, "no production order finished last month")
    days = (finished["finish_date"] - finished["start_date"]).dt.days.astype(float)
    frame = as_baseline(with_family(finished.assign(days=days, orders=1.0), inputs.items))
    return scoped(
        frame,
        kpi,
        "days",
        ("total", "family"),
        ["days", "orders"],
        lambda s: s["days"] / s["orders"],
    )


def _finished_in(orders: pd.DataFrame, month: pd.Timestamp) -> pd.DataFrame:
    finish_month = orders["finish_date"].dt.to_period("M").dt.to_timestamp()
    return orders[finish_month == month]
