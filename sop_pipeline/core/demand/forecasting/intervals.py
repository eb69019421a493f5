"""Prediction intervals: 80 and 95 %, never negative, always nested around the forecast.

The regular series' ensemble combines its members' native (model-based) intervals (see
`ensemble`). Croston-type methods have none, so theirs are conformal-style: the half-width at
level L is the finite-sample conformal quantile (rank ceil((n + 1) L) of n) of the chosen
model's absolute errors on the held-out windows of model selection, the same for every month
ahead (these methods forecast a flat rate). This reuses the selection's refits instead of
statsforecast's ConformalIntervals, which would fit every series again and needs more history
than two seasons for long horizons.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

LEVELS = (80, 95)
BOUNDS = [f"{side}_{level}" for level in LEVELS for side in ("lo", "hi")]
VALUE_COLUMNS = ["forecast", *BOUNDS]


def conformal_rank_share(level: int, n_errors: int) -> float:
    """The quantile (as a share) whose 'higher' value is the conformal rank of n errors."""
    return min(1.0, math.ceil((n_errors + 1) * level / 100) / n_errors)


def with_holdout_intervals(forecasts: pd.DataFrame, errors: pd.DataFrame) -> pd.DataFrame:
    """`forecasts` (unique_id, ds, forecast) with lo/hi columns from each series' held-out
    absolute errors (`errors`: unique_id, error)."""
    absolute = errors.assign(abs_error=errors["error"].abs()).dropna(subset=["abs_error"])
    by_series = absolute.groupby("unique_id")["abs_error"]
    n_errors = max(1, int(by_series.size().max())) if len(absolute) else 1
    widths = pd.DataFrame(
        {
            level: by_series.quantile(conformal_rank_share(level, n_errors), interpolation="higher")
            for level in LEVELS
        }
    )
    out = forecasts.merge(widths, left_on="unique_id", right_index=True, how="left")
    for level in LEVELS:
        width = out.pop(level).fillna(0.0)
        out[f"lo_{level}"] = out["forecast"] - width
        out[f"hi_{level}"] = out["forecast"] + width
    return out


def tidy_bounds(frame: pd.DataFrame) -> pd.DataFrame:
    """Forecast and bounds clipped at zero (demand is never negative) and nested:
    lo_95 <= lo_80 <= forecast <= hi_80 <= hi_95."""
    out = frame.copy()
    out[VALUE_COLUMNS] = out[VALUE_COLUMNS].astype(float).clip(lower=0.0)
    out["lo_80"] = np.minimum(out["lo_80"], out["forecast"])
    out["lo_95"] = np.minimum(out["lo_95"], out["lo_80"])
    out["hi_80"] = np.maximum(out["hi_80"], out["forecast"])
    out["hi_95"] = np.maximum(out["hi_95"], out["hi_80"])
    return out
