"""Scheduled receipts: production already started before the cycle that arrives inside it.

Two sources, one row per sku x month of arrival (`month`, `quantity`):
- open production orders of the `production_orders` export: rows without a `finish_date`, or
  finishing in or after the cycle month. They arrive in the month of their `due_date`, else of
  their `finish_date`; one due before the cycle (late) or without a date arrives in the cycle
  month.
- work in progress from the previous cycle's plan: the previous cycle's production started in
  months before this cycle (its firm MPS of months already started) arriving in this cycle's
  months (start + lead time), plus the previous plan's own receipts still to arrive (work in
  progress started earlier), so that WIP of a lead time longer than a month is carried.

The ERP knows its orders better than the plan: for a SKU with open production orders in the
export, those orders are its receipts and the previous plan's work in progress is ignored.
"""

from __future__ import annotations

import pandas as pd

from sop_pipeline.core.calendar import month_start, month_starts, shift_months
from sop_pipeline.core.names import BASELINE, SOLVER_TOLERANCE

RECEIPT_COLUMNS = ["sku", "month", "quantity"]


def _empty() -> pd.DataFrame:
    return pd.DataFrame({"sku": [], "month": pd.to_datetime([]), "quantity": []})


def open_order_receipts(
    production_orders: pd.DataFrame | None, cycle: pd.Timestamp
) -> pd.DataFrame:
    """Open production orders as receipts in their due month (late or undated: cycle month)."""
    if production_orders is None or production_orders.empty:
        return _empty()
    first = month_start(cycle)
    orders = production_orders
    finish = month_starts(orders.get("finish_date", pd.Series(pd.NaT, index=orders.index)))
    open_orders = orders[finish.isna() | (finish >= first)]
    if open_orders.empty:
        return _empty()
    due = month_starts(open_orders.get("due_date", pd.Series(pd.NaT, index=open_orders.index)))
    due = due.fillna(finish[open_orders.index]).fillna(first)
    return pd.DataFrame(
        {
            "sku": open_orders["sku"].astype(str).to_numpy(),
            "month": due.where(due >= first, first).to_numpy(),
            "quantity": pd.to_numeric(open_orders["quantity"]).to_numpy(dtype=float),
        }
    )


def work_in_progress(
    previous_plan: pd.DataFrame | None, items: pd.DataFrame, cycle: pd.Timestamp
) -> pd.DataFrame:
    """Receipts of production the previous baseline plan started before `cycle`, in the month
    it arrives, and the previous plan's receipts due from `cycle` on."""
    if previous_plan is None or previous_plan.empty:
        return _empty()
    first = month_start(cycle)
    plan = previous_plan[previous_plan["scenario"] == BASELINE]
    plan = plan.assign(sku=plan["sku"].astype(str), month=month_starts(plan["month"]))
    lead = pd.to_numeric(
        items.assign(sku=items["sku"].astype(str))
        .drop_duplicates("sku")
        .set_index("sku")
        .get("lead_time_months", pd.Series(dtype=float))
    )
    started = plan[(plan["month"] < first) & (plan["production"] > SOLVER_TOLERANCE)]
    months = lead.reindex(started["sku"]).fillna(0).clip(lower=0).astype(int).to_numpy()
    in_transit = pd.DataFrame(
        {
            "sku": started["sku"].to_numpy(),
            "month": shift_months(started["month"].reset_index(drop=True), months).to_numpy(),
            "quantity": started["production"].to_numpy(dtype=float),
        }
    )
    earlier = plan.loc[plan["month"] >= first, RECEIPT_COLUMNS[:2]].assign(
        quantity=plan.get("receipts", pd.Series(0.0, index=plan.index))
    )
    receipts = pd.concat([in_transit, earlier], ignore_index=True)
    receipts["month"] = pd.to_datetime(receipts["month"])
    keep = (receipts["month"] >= first) & (receipts["quantity"] > SOLVER_TOLERANCE)
    return receipts[keep].reset_index(drop=True)[RECEIPT_COLUMNS]


def scheduled_receipts(
    production_orders: pd.DataFrame | None,
    previous_plan: pd.DataFrame | None,
    items: pd.DataFrame,
    cycle: pd.Timestamp,
) -> pd.DataFrame:
    """All scheduled receipts (sku, month, quantity): open orders, else the previous WIP."""
    orders = open_order_receipts(production_orders, cycle)
    wip = work_in_progress(previous_plan, items, cycle)
    wip = wip[~wip["sku"].isin(set(orders["sku"]))]
    frames = [f for f in (orders, wip) if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else _empty()
