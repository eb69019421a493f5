"""Forecasts for series no candidate can be judged on: all-zero and short series.

- `zero`: a series without any demand forecasts 0, intervals 0.
- `recent_mean`: a series shorter than two seasons forecasts the mean of its last six months,
  flat, with normal intervals from the standard deviation of its history (ddof 1); with fewer
  than three points the spread is unknown and taken as large as the level itself. The
  demand-level forecast gives such series their family's seasonal profile instead.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sop_pipeline.core.calendar import shift_months
from sop_pipeline.core.demand.forecasting.intervals import LEVELS

RECENT_MONTHS = 6
MIN_POINTS_FOR_SPREAD = 3
Z = {80: 1.2816, 95: 1.9600}  # two-sided normal quantiles


def simple_forecasts(history: pd.DataFrame, horizon: int) -> pd.DataFrame:
    """`zero` or `recent_mean` forecasts for every series of `history`: grain unique_id x ds."""
    grouped = history.groupby("unique_id", sort=True)["y"]
    stats = pd.DataFrame(
        {
            "last": history.groupby("unique_id", sort=True)["ds"].max(),
            "level": grouped.apply(lambda s: float(s.tail(RECENT_MONTHS).mean())),
            "points": grouped.size(),
            "spread": grouped.std(ddof=1),
            "demand": grouped.apply(lambda s: bool((s != 0).any())),
        }
    )
    short_spread = stats["points"] < MIN_POINTS_FOR_SPREAD
    stats["spread"] = stats["spread"].where(~short_spread, stats["level"].abs()).fillna(0.0)
    stats["level"] = stats["level"].where(stats["demand"], 0.0)
    stats["spread"] = stats["spread"].where(stats["demand"], 0.0)
    stats["model"] = np.where(stats["demand"], "recent_mean", "zero")
    step = np.tile(np.arange(1, horizon + 1), len(stats))
    rows = stats.loc[stats.index.repeat(horizon)].reset_index()
    rows["ds"] = shift_months(rows["last"], step)
    rows["forecast"] = rows["level"]
    for level in LEVELS:
        rows[f"lo_{level}"] = rows["level"] - Z[level] * rows["spread"]
        rows[f"hi_{level}"] = rows["level"] + Z[level] * rows["spread"]
    return rows.drop(columns=["last", "level", "points", "spread", "demand"])
