"""The regular series' forecast: the median of the ensemble members, with combined intervals.

Every member (see `candidates.ensemble_members`) is fitted on the whole series and forecasts
the horizon with its own 80 and 95 % intervals. For each month ahead the ensemble's forecast is
the median of the members' forecasts, and each bound (lo_80, hi_80, lo_95, hi_95) the median of
the members' same bound: a quantile-wise combination, which keeps the interval's coverage close
to the members' where a mean of bounds would stretch it toward the widest member. With three
members the median is the middle one, so one member going astray (an exploding trend, a
spurious season) does not move the forecast. Forecasts and bounds are then clipped at zero and
nested (`intervals.tidy_bounds`).

Why the median of these three, and not per-series selection or a mean: see docs/forecasting.md,
which records the cross-validation on the training parts of the M1 and Tourism data.

A member that fails to fit a series is replaced by the seasonal naive for that series
(statsforecast's fallback model), so the median stays defined.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from statsforecast import StatsForecast
from statsforecast.models import SeasonalNaive

from sop_pipeline.core.forecasting.candidates import ENSEMBLE_MODEL, ensemble_members
from sop_pipeline.core.forecasting.distributed import run_statsforecast
from sop_pipeline.core.forecasting.intervals import BOUNDS, LEVELS


def ensemble_forecasts(
    history: pd.DataFrame, horizon: int, season_length: int, n_jobs: int
) -> pd.DataFrame:
    """Median-ensemble forecasts of every series of `history` (unique_id, ds, y): grain
    unique_id x ds, columns forecast, lo_80, hi_80, lo_95, hi_95 and model."""
    members = ensemble_members(season_length)
    engine = StatsForecast(
        models=members,
        freq="MS",
        n_jobs=n_jobs,
        fallback_model=SeasonalNaive(season_length=max(season_length, 1)),
    )
    raw = run_statsforecast(engine, "forecast", history, h=horizon, level=list(LEVELS))
    return combine_members(raw, [m.alias for m in members])


def combine_members(raw: pd.DataFrame, aliases: list[str]) -> pd.DataFrame:
    """statsforecast output with columns per member (alias, alias-lo-80, ...) to the median of
    the members per value column."""
    out = raw[["unique_id", "ds"]].copy()
    out["forecast"] = np.median(raw[aliases].to_numpy(dtype=float), axis=1)
    for bound in BOUNDS:
        side, level = bound.split("_")
        columns = [f"{alias}-{side}-{level}" for alias in aliases]
        out[bound] = np.median(raw[columns].to_numpy(dtype=float), axis=1)
    return out.assign(model=ENSEMBLE_MODEL)
