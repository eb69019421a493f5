"""The master production schedule handed to ERP (S&OP step 6; docs/supply.md, "Frozen MPS").

`mps` has one row per sku x month of the baseline plan with production to start: quantity is
the production started in the month, in whole units or the item's lot multiples (the supply
plan is rounded, `supply/lots.py`; rows with nothing to make are left out), firm is True for
the first `frozen_months` months of the cycle (the frozen zone ERP must not replan), status is
`proposed` until the executive S&OP approves a scenario (`approval`), whose MPS is released.
"""

from __future__ import annotations

import pandas as pd

from sop_pipeline.core.calendar import add_months, month_start
from sop_pipeline.core.names import BASELINE, SOLVER_TOLERANCE
from sop_pipeline.core.tables import row_columns

MPS_COLUMNS = row_columns("mps")
PROPOSED, RELEASED = "proposed", "released"


def build_mps(
    supply_plan: pd.DataFrame,
    cycle: pd.Timestamp,
    frozen_months: int = 3,
    scenario: str = BASELINE,
) -> pd.DataFrame:
    """The (proposed) MPS of `cycle` from the `scenario` rows of `supply_plan` (the baseline's
    unless an approval chose another), sorted by sku and month."""
    plan = supply_plan[
        (supply_plan["scenario"] == scenario) & (supply_plan["production"] > SOLVER_TOLERANCE)
    ]
    first_unfrozen = add_months(month_start(cycle), frozen_months)
    mps = pd.DataFrame(
        {
            "sku": plan["sku"].astype(str),
            "month": pd.to_datetime(plan["month"]),
            "quantity": plan["production"].astype(float),
        }
    )
    mps["firm"] = mps["month"] < first_unfrozen
    mps["status"] = PROPOSED
    return mps.sort_values(["sku", "month"]).reset_index(drop=True)[MPS_COLUMNS]
