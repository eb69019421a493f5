"""The regular series' forecast: the mean of the ensemble members, with combined intervals.

Every member (see `candidates.ensemble_members`) is fitted on the whole series and forecasts
the horizon; for each month ahead the ensemble's forecast is the mean of the members', each
clipped at zero first. Demand is never negative, so a member forecasting -500 in a season's
trough says no more than one forecasting 0; clipping only the mean let such a member drag the
others' positive forecasts down to zero (series near zero, troughs of strongly seasonal series:
on the training windows of M1 and Tourism this cost the engine 0.42 and 0.20 sMAPE points
against the combination cross-validation had scored with clipped members; docs/forecasting.md).

Intervals: the ensemble's forecast distribution is taken as the equal-weight mixture of its
members' (a linear pool), whose variance is the mean of the members' variances plus the
variance of their point forecasts around the mean. Per side and level L, with z the standard
normal quantile of L, the half-width is sqrt(mean of the members' squared half-widths +
z² x variance of the members' clipped forecasts), the members' half-widths being those of ETS
and Theta (forecast minus own lower bound, upper bound minus forecast; CES is left out because
its intervals come from simulation and cost about 15 times its fit, but its forecast counts in
the spread). Averaging the half-widths alone (quantile averaging) ignored where the members
disagree: on the training windows of M1 and Tourism its 80 % band held 72 % and 74 % of the
actuals one month ahead, the pool's 77 % and 78 % (docs/forecasting.md). Forecasts and bounds
are then clipped at zero and nested (`intervals.tidy_bounds`).

Why the mean of these three, and not per-series selection or another combination: see
docs/forecasting.md, which records the cross-validation on the training parts of the M1 and
Tourism monthly data.

A member that fails to fit a series is replaced by the seasonal naive for that series
(statsforecast's fallback model), so the mean stays defined."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import norm
from statsforecast import StatsForecast
from statsforecast.models import SeasonalNaive

from sop_pipeline.core.demand.forecasting.candidates import ENSEMBLE_MODEL, ensemble_members
from sop_pipeline.core.demand.forecasting.distributed import run_statsforecast
from sop_pipeline.core.demand.forecasting.intervals import LEVELS

INTERVAL_MEMBERS = ("ETS", "Theta")  # CES simulates its intervals: too slow to take its width


def ensemble_forecasts(
    history: pd.DataFrame, horizon: int, season_length: int, n_jobs: int
) -> pd.DataFrame:
    """Mean-ensemble forecasts of every series of `history` (unique_id, ds, y): grain
    unique_id x ds, columns forecast, lo_80, hi_80, lo_95, hi_95 and model."""
    members = ensemble_members(season_length)
    with_widths = [m for m in members if m.alias in INTERVAL_MEMBERS]
    point_only = [m for m in members if m.alias not in INTERVAL_MEMBERS]
    raw = _member_forecasts(history, with_widths, horizon, season_length, n_jobs, LEVELS)
    if point_only:
        points = _member_forecasts(history, point_only, horizon, season_length, n_jobs, ())
        raw = raw.merge(points, on=["unique_id", "ds"], how="left")
    return combine_members(raw, [m.alias for m in members], [m.alias for m in with_widths])


def combine_members(
    raw: pd.DataFrame, aliases: list[str], width_aliases: list[str]
) -> pd.DataFrame:
    """statsforecast output with columns per member (alias, alias-lo-80, ...) to the mean
    forecast of `aliases`, each clipped at zero, and bounds of the members' linear pool: per
    side, sqrt(mean squared half-width over `width_aliases` + z² x variance of the clipped
    forecasts of `aliases`)."""
    out = raw[["unique_id", "ds"]].copy()
    points = raw[aliases].to_numpy(dtype=float).clip(min=0.0)
    out["forecast"] = points.mean(axis=1)
    spread = points.var(axis=1)  # between the members, ddof 0: the mixture's own variance
    for level in LEVELS:
        z = float(norm.ppf(0.5 + level / 200))
        for side, sign in (("lo", -1.0), ("hi", 1.0)):
            widths = np.column_stack(
                [(raw[f"{a}-{side}-{level}"] - raw[a]).abs() for a in width_aliases]
            )
            half = np.sqrt((widths**2).mean(axis=1) + z * z * spread)
            out[f"{side}_{level}"] = out["forecast"] + sign * half
    return out.assign(model=ENSEMBLE_MODEL)


def _member_forecasts(
    history: pd.DataFrame,
    models: list[Any],
    horizon: int,
    season_length: int,
    n_jobs: int,
    levels: tuple[int, ...],
) -> pd.DataFrame:
    engine = StatsForecast(
        models=models,
        freq="MS",
        n_jobs=n_jobs,
        fallback_model=SeasonalNaive(season_length=max(season_length, 1)),
    )
    level = list(levels) or None
    return run_statsforecast(engine, "forecast", history, h=horizon, level=level)
