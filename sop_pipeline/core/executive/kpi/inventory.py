"""KPI formulas on the opening inventory: its value, how fast it turns, how long it lasts and how
much of it is slow-moving. Actuals-based, so reported under scenario 'baseline'.

Days of supply and slow-moving stock are reported per SKU too (scope_type 'sku'), by the same
formula as their total and family rows, so that the inventory_health mart reads them from `kpi`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sop_pipeline.core.calendar import add_months, months_between
from sop_pipeline.core.executive.kpi.definition import KpiDefinition
from sop_pipeline.core.executive.kpi.frames import (
    as_baseline,
    present,
    scoped,
    skip,
    with_family,
)
from sop_pipeline.core.executive.kpi.inputs import KpiInputs

DAYS_PER_MONTH = 30.4
TURNS_WINDOW_MONTHS = 12
NO_SALES_MONTHS = 6
MAX_COVER_MONTHS = 12.0
FORWARD_MONTHS = 3
INVENTORY_VALUE = "inventory_value"


def inventory_value(inputs: KpiInputs, cycle: pd.Timestamp, kpi: KpiDefinition) -> pd.DataFrame:
    """Σ on_hand × unit_cost of the opening stock (the inventory part of working capital; the
    exports carry no receivables or payables)."""
    if not present(inputs.inventory):
        return skip(kpi, "no inventory")
    return scoped(stock(inputs), kpi, ["value"], lambda s: s["value"])


def inventory_turns(inputs: KpiInputs, cycle: pd.Timestamp, kpi: KpiDefinition) -> pd.DataFrame:
    """Annual COGS / average inventory value (ASCM): COGS of the last 12 actual months
    (quantity × unit_cost; with less history, the months there are × 12 / their number) over
    the mean of this cycle's and the previous cycle's opening inventory value (the previous
    cycle's `inventory_value` KPI of the scope; this cycle's alone when there is none)."""
    if not present(inputs.inventory) or not present(inputs.sales_actuals):
        return skip(kpi, "needs inventory and sales actuals")
    cogs = _annual_cogs(inputs, cycle)
    if cogs.empty:
        return skip(kpi, "no sales in the last 12 months")
    frame = stock(inputs).merge(cogs, on="sku", how="outer")
    frame = as_baseline(with_family(frame.fillna({"value": 0.0, "cogs": 0.0}), inputs.items))
    rows = scoped(frame, kpi, ["cogs"], lambda s: s["cogs"])  # same scopes, same order:
    current = scoped(frame, kpi, ["value"], lambda s: s["value"])["value"].to_numpy()
    earlier = _previous_inventory_value(inputs, rows)
    average = np.where(np.isnan(earlier), current, (current + earlier) / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        rows["value"] = rows["value"].to_numpy() / average
    return rows[np.isfinite(rows["value"].to_numpy(dtype=float))].reset_index(drop=True)


def _previous_inventory_value(inputs: KpiInputs, rows: pd.DataFrame) -> np.ndarray:
    """Per KPI row, the previous cycle's inventory_value of its scope (NaN when absent)."""
    previous = inputs.previous_kpi
    if previous is None or previous.empty:
        return np.full(len(rows), np.nan)
    values = previous[previous["kpi"] == INVENTORY_VALUE].set_index(["scope_type", "scope"])
    keys = pd.MultiIndex.from_frame(rows[["scope_type", "scope"]])
    return values["value"].groupby(level=[0, 1]).first().reindex(keys).to_numpy(dtype=float)


def days_of_supply(inputs: KpiInputs, cycle: pd.Timestamp, kpi: KpiDefinition) -> pd.DataFrame:
    """Σ on_hand / Σ average planned monthly demand of the next 3 months (M to M+2, forward
    coverage) × 30.4."""
    if not present(inputs.inventory) or not present(inputs.demand_plan):
        return skip(kpi, "needs inventory and a demand plan")
    forward = monthly_demand(inputs, cycle, FORWARD_MONTHS)
    frame = stock(inputs).merge(forward, on="sku", how="outer")
    frame = as_baseline(with_family(frame.fillna(0.0), inputs.items))
    return scoped(
        frame,
        kpi,
        ["on_hand", "avg_demand"],
        lambda s: s["on_hand"] / s["avg_demand"] * DAYS_PER_MONTH,
    )


def slow_moving_inventory_value(
    inputs: KpiInputs, cycle: pd.Timestamp, kpi: KpiDefinition
) -> pd.DataFrame:
    """Σ on_hand × unit_cost of the SKUs with no sale in the last 6 months (unless launched
    within them) or on hand > 12 × average planned monthly demand; per SKU, its stock at cost
    when it is slow-moving, else 0."""
    if not present(inputs.inventory) or not present(inputs.sales_actuals):
        return skip(kpi, "needs inventory and sales actuals")
    frame = stock(inputs)
    slow = _unsold(frame, inputs, cycle)
    if present(inputs.demand_plan):
        demand = frame[["sku"]].merge(monthly_demand(inputs), on="sku", how="left")
        cover_limit = demand["avg_demand"].fillna(0.0).to_numpy() * MAX_COVER_MONTHS
        slow = slow | (frame["on_hand"].to_numpy() > cover_limit)
    frame = frame.assign(slow_value=frame["value"].where(slow, 0.0))
    columns, value = ["slow_value"], lambda s: s["slow_value"]
    wider = [scope for scope in kpi.scopes if scope != "sku"]
    rows = scoped(frame, kpi, columns, value, wider)
    if "sku" not in kpi.scopes:
        return rows
    # a SKU whose sites hold nothing has no stock to judge: no row, where totals count it as 0
    held = scoped(frame[frame["on_hand"] > 0], kpi, columns, value, ["sku"])
    return pd.concat([rows, held], ignore_index=True)


def stock(inputs: KpiInputs) -> pd.DataFrame:
    """Opening stock per SKU (summed over sites): sku, family, scenario, on_hand, value."""
    on_hand = inputs.inventory.groupby("sku", as_index=False)["on_hand"].sum()
    costed = on_hand.merge(
        inputs.items[["sku", "unit_cost"]].drop_duplicates("sku"), on="sku", how="left"
    )
    costed["value"] = costed["on_hand"] * costed.pop("unit_cost").fillna(0.0)
    return as_baseline(with_family(costed, inputs.items))


def monthly_demand(
    inputs: KpiInputs, cycle: pd.Timestamp | None = None, months_ahead: int | None = None
) -> pd.DataFrame:
    """Average planned monthly demand per SKU: sku, avg_demand; over the plan horizon, or over
    the `months_ahead` months from `cycle` when given."""
    plan = inputs.demand_plan
    if cycle is not None and months_ahead is not None:
        window = (plan["month"] >= cycle) & (plan["month"] < add_months(cycle, months_ahead))
        plan, months = plan[window], months_ahead
    else:
        months = plan["month"].nunique()
    per_sku = plan.groupby("sku", as_index=False)["demand"].sum()
    return pd.DataFrame({"sku": per_sku["sku"], "avg_demand": per_sku["demand"] / months})


def _annual_cogs(inputs: KpiInputs, cycle: pd.Timestamp) -> pd.DataFrame:
    """Cost of goods sold per SKU over the last 12 actual months, scaled to a year: sku, cogs."""
    sales = inputs.sales_actuals
    start = max(add_months(cycle, -TURNS_WINDOW_MONTHS), sales["month"].min())
    window = sales[(sales["month"] >= start) & (sales["month"] < cycle)]
    if window.empty:
        return pd.DataFrame(columns=["sku", "cogs"])
    months = months_between(start, cycle)
    costed = window.merge(inputs.items[["sku", "unit_cost"]], on="sku", how="left")
    costed["cogs"] = costed["quantity"] * costed["unit_cost"].fillna(0.0) * 12.0 / months
    return costed.groupby("sku", as_index=False)["cogs"].sum()


def _unsold(frame: pd.DataFrame, inputs: KpiInputs, cycle: pd.Timestamp) -> pd.Series:
    """Per row of `frame`: True when the SKU sold nothing in the last 6 months and was not
    launched within them (a new SKU without sales yet is not slow-moving)."""
    since = add_months(cycle, -NO_SALES_MONTHS)
    sales = inputs.sales_actuals
    recent = sales[(sales["month"] >= since) & (sales["month"] < cycle) & (sales["quantity"] > 0)]
    unsold = ~frame["sku"].isin(recent["sku"])
    if "launch_date" not in inputs.items:
        return unsold
    launch = inputs.items.drop_duplicates("sku").set_index("sku")["launch_date"]
    launched_since = pd.to_datetime(frame["sku"].map(launch)) >= since
    return unsold & ~launched_since
