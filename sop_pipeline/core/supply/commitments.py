"""What the plan must honour besides forecast demand: customer backlog and the firm MPS.

Backlog: each `open_orders` line is due in the month of its `requested_date`; a line requested
before the cycle (overdue) or without a date is due in the cycle month. Lines due after the
horizon are left out with a warning. Backlog is never lost: what cannot be shipped in its due
month is carried as a backorder into the next months (see `lp`).

Firm MPS: the previous cycle froze its first `frozen_months` months, so the months from this
cycle's month up to the end of that zone are still frozen. For every SKU in the previous MPS,
production in those months is pinned to the firm quantity (zero where the MPS had no row, since
a firm schedule with no order means nothing is made). SKUs that were not in the previous MPS are
planned freely.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from sop_pipeline.core.calendar import add_months, month_starts
from sop_pipeline.core.supply.grids import grid
from sop_pipeline.core.supply.model import FloatArray

logger = logging.getLogger(__name__)


def backlog_by_month(
    open_orders: pd.DataFrame | None, skus: pd.Index, months: pd.DatetimeIndex
) -> FloatArray:
    """Open-order quantity due per SKU and month, shape (S, T); overdue lines in month 0."""
    if open_orders is None or open_orders.empty:
        return np.zeros((len(skus), len(months)))
    requested = open_orders.get("requested_date", pd.Series(pd.NaT, index=open_orders.index))
    due = month_starts(requested).fillna(months[0])
    due = due.where(due >= months[0], months[0])
    if (late := int((due > months[-1]).sum())) > 0:
        logger.warning("%d open order line(s) are due after the horizon and are not planned", late)
    return grid(open_orders.assign(month=due), "quantity", skus, months, "sku")


def still_frozen(months: pd.DatetimeIndex, frozen_months: int) -> pd.DatetimeIndex:
    """The months of this cycle that the previous cycle's frozen zone still covers."""
    end_of_zone = add_months(months[0], frozen_months - 1)
    return months[months < end_of_zone]


def firm_skus(
    previous_mps: pd.DataFrame | None, months: pd.DatetimeIndex, frozen_months: int
) -> set[str]:
    """The SKUs with firm production in the months still frozen: they are planned even
    without demand, since their orders are made."""
    if previous_mps is None or previous_mps.empty:
        return set()
    frozen = still_frozen(months, frozen_months)
    made = previous_mps["firm"].astype(bool) & month_starts(previous_mps["month"]).isin(frozen)
    return set(previous_mps.loc[made & (previous_mps["quantity"] > 0), "sku"].astype(str))


def pinned_production(
    previous_mps: pd.DataFrame | None,
    skus: pd.Index,
    months: pd.DatetimeIndex,
    frozen_months: int,
) -> FloatArray:
    """Production fixed by the previous firm MPS per SKU and month, NaN where free, (S, T)."""
    pinned = np.full((len(skus), len(months)), np.nan)
    frozen = still_frozen(months, frozen_months)
    if previous_mps is None or previous_mps.empty or len(frozen) == 0:
        return pinned
    firm = previous_mps[previous_mps["firm"].astype(bool)]
    quantity = grid(firm, "quantity", skus, months, "sku", fill=0.0)
    in_mps = skus.isin(previous_mps["sku"].astype(str))
    pinned[np.ix_(in_mps, np.arange(len(frozen)))] = quantity[in_mps][:, : len(frozen)]
    return pinned
