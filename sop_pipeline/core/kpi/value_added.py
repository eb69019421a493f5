"""Forecast value added (FVA) KPIs: does each step of the demand review beat the one before?

Read off the lag-1 forecast_accuracy rows, which carry beside the statistical `forecast` the
seasonal naive forecast (`naive`) and the planners' consensus (`consensus`, the demand plan the
same earlier cycle made). FVA is the drop in WAPE from one step to the next, in WAPE points:
positive means the step adds value. Actuals-based, so reported under scenario 'baseline'.
"""

from __future__ import annotations

import pandas as pd

from sop_pipeline.core.kpi.actuals import SCOPES, at_lag
from sop_pipeline.core.kpi.frames import scoped, skip
from sop_pipeline.core.kpi.inputs import KpiInputs

ERRORS = ["naive_error", "statistical_error", "consensus_error", "actual"]


def forecast_value_added_statistical(inputs: KpiInputs, cycle: pd.Timestamp) -> pd.DataFrame:
    """WAPE of the seasonal naive forecast - WAPE of the statistical forecast, at lag 1."""
    kpi = "forecast_value_added_statistical"
    frame = _errors(inputs, "naive")
    if frame is None:
        return skip(kpi, "no lag-1 forecast accuracy rows with a seasonal naive forecast")
    return scoped(
        frame,
        kpi,
        "ratio",
        SCOPES,
        ERRORS,
        lambda s: (s["naive_error"] - s["statistical_error"]) / s["actual"],
    )


def forecast_value_added_consensus(inputs: KpiInputs, cycle: pd.Timestamp) -> pd.DataFrame:
    """WAPE of the statistical forecast - WAPE of the consensus demand plan, at lag 1, over the
    series the earlier cycle's demand plan covered."""
    kpi = "forecast_value_added_consensus"
    frame = _errors(inputs, "consensus")
    if frame is None:
        return skip(kpi, "no lag-1 forecast accuracy rows with the earlier cycle's demand plan")
    return scoped(
        frame,
        kpi,
        "ratio",
        SCOPES,
        ERRORS,
        lambda s: (s["statistical_error"] - s["consensus_error"]) / s["actual"],
    )


def _errors(inputs: KpiInputs, benchmark: str) -> pd.DataFrame | None:
    """Lag-1 rows where `benchmark` is known, with each forecast's absolute error; None when
    there are none."""
    rows = at_lag(inputs, 1)
    if rows is None or benchmark not in rows:
        return None
    rows = rows[rows[benchmark].notna()]
    if rows.empty:
        return None
    actual = rows["actual"]
    return rows.assign(
        naive_error=(actual - rows["naive"]).abs() if "naive" in rows else float("nan"),
        statistical_error=(actual - rows["forecast"]).abs(),
        consensus_error=(actual - rows["consensus"]).abs() if "consensus" in rows else float("nan"),
    )
