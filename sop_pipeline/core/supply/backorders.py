"""Read a supply plan without counting a carried backorder twice.

With backorders a unit still owed at the end of month t is part of `demand` and of `unmet_demand`
again in t+1 (so the row-by-row balance of docs/supply.md holds). Sums over months must therefore
use the demand that arises in a month and the demand that is never served, not the raw columns.
"""

from __future__ import annotations

import pandas as pd

SERIES = ["scenario", "sku"]


def carried_in_backorder(plan: pd.DataFrame) -> pd.Series:
    """Open-order units owed at the end of the month before, per supply_plan row (0 in the first
    month of a series)."""
    ordered = plan.sort_values([*SERIES, "month"])
    carried = ordered.groupby(SERIES, sort=False)["backorder"].shift(1).fillna(0.0)
    return carried.reindex(plan.index)


def new_demand(plan: pd.DataFrame) -> pd.Series:
    """Demand that arises in the month: forecast plus backlog due, without carried backorders."""
    if "backorder" not in plan:
        return plan["demand"]
    return plan["demand"] - carried_in_backorder(plan)


def unserved_demand(plan: pd.DataFrame) -> pd.Series:
    """Demand never served, per row: the sales lost in the month, plus, in a series' last month,
    the backorder still owed when the horizon ends. Summed over a horizon it counts each unit
    once."""
    if "backorder" not in plan:
        return plan["unmet_demand"]
    last_month = plan.groupby(SERIES)["month"].transform("max")
    owed_at_end = plan["backorder"].where(plan["month"] == last_month, 0.0)
    return plan["unmet_demand"] - plan["backorder"] + owed_at_end


def on_time_demand(plan: pd.DataFrame) -> pd.Series:
    """Demand of the month shipped in the month, per row: new demand less the month's unmet
    (lost plus carried out), at least 0. Backorders carried in are owed first, so a month's
    shipments serve them before its own demand; what is shipped late is not on time."""
    return (new_demand(plan) - plan["unmet_demand"]).clip(lower=0.0)


def fill_rate(plan: pd.DataFrame) -> float:
    """1 - Σ unserved / Σ new demand over the rows of `plan` (1.0 when nothing is demanded)."""
    demand = float(new_demand(plan).sum())
    return 1.0 - float(unserved_demand(plan).sum()) / demand if demand else 1.0
