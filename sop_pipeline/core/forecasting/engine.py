"""The forecast engine: monthly series in long format to per-series forecasts with intervals.

Each series takes one route:

1. no demand at all: `zero`;
2. shorter than two seasons (or than the held-out months plus one season): `recent_mean`
   (see `fallback`);
3. intermittent (ADI >= 1.32): Croston SBA, ADIDA, IMAPA and TSB compete;
4. otherwise: seasonal ETS, non-seasonal AutoETS and the seasonal naive compete.

Routes 3 and 4 choose per series on held-out months (`selection`), then refit the winner on the
whole series (`refit`). Forecasts and bounds are clipped at zero and nested (`intervals`).
"""

from __future__ import annotations

import pandas as pd

from sop_pipeline.core.forecasting.candidates import (
    ADI_INTERMITTENT,
    intermittent_models,
    regular_models,
)
from sop_pipeline.core.forecasting.fallback import simple_forecasts
from sop_pipeline.core.forecasting.intervals import BOUNDS, tidy_bounds
from sop_pipeline.core.forecasting.refit import forecast_chosen, worker_count
from sop_pipeline.core.forecasting.selection import choose_models, held_out_months, holdout_errors

FORECAST_COLUMNS = ["unique_id", "ds", "forecast", "model", *BOUNDS]


def forecast_series(history: pd.DataFrame, horizon: int, season_length: int = 12) -> pd.DataFrame:
    """Forecast every series of `history` (unique_id, ds at month start, y) over the `horizon`
    months after the panel's last month: grain unique_id x ds, with the model used and 80/95 %
    bounds (lo_80, hi_80, lo_95, hi_95), all non-negative. Missing months, inside a series or
    after its last row, count as zero demand, as missing months in sales history do."""
    series = _prepared(history)
    if series.empty or horizon < 1:
        return pd.DataFrame({c: pd.Series(dtype=float) for c in FORECAST_COLUMNS})
    route = _routes(series, horizon, season_length)
    frames = []
    if len(route["simple"]):
        frames.append(simple_forecasts(series[series["unique_id"].isin(route["simple"])], horizon))
    for name, models in (
        ("regular", regular_models(season_length)),
        ("intermittent", intermittent_models()),
    ):
        members = series[series["unique_id"].isin(route[name])]
        if members.empty:
            continue
        errors = holdout_errors(members, models, horizon, worker_count(len(route[name])))
        chosen = choose_models(errors, [m.alias for m in models], squared=name == "intermittent")
        frames.append(forecast_chosen(members, chosen, errors, horizon, season_length))
    forecasts = tidy_bounds(pd.concat(frames, ignore_index=True))
    return forecasts.sort_values(["unique_id", "ds"], ignore_index=True)[FORECAST_COLUMNS]


def min_history(horizon: int, season_length: int) -> int:
    """Months a series needs for the candidates: two seasons, and at least one season before
    the held-out months."""
    return max(2 * season_length, held_out_months(horizon) + max(season_length, 1))


def _prepared(history: pd.DataFrame) -> pd.DataFrame:
    """Monthly series from each one's first month to the panel's last, missing months as 0."""
    series = history[["unique_id", "ds", "y"]].copy()
    series["ds"] = pd.to_datetime(series["ds"]).dt.to_period("M").dt.to_timestamp()
    series["y"] = series["y"].astype(float)
    series = series.groupby(["unique_id", "ds"], as_index=False)["y"].sum()
    if series.empty:
        return series
    first = series.groupby("unique_id", as_index=False)["ds"].min()
    end = series["ds"].max()
    months = (end.year - first["ds"].dt.year) * 12 + end.month - first["ds"].dt.month + 1
    grid = first.loc[first.index.repeat(months)].reset_index(drop=True)
    step = grid.groupby("unique_id").cumcount().to_numpy()
    grid["ds"] = (grid["ds"].dt.to_period("M") + step).dt.to_timestamp()
    filled = grid.merge(series, on=["unique_id", "ds"], how="left").fillna({"y": 0.0})
    return filled.sort_values(["unique_id", "ds"], ignore_index=True)


def _routes(series: pd.DataFrame, horizon: int, season_length: int) -> dict[str, pd.Index]:
    """unique_ids per route: simple (zero or short), intermittent, regular."""
    grouped = series.groupby("unique_id")["y"]
    points = grouped.size()
    demand_months = (series["y"] != 0).groupby(series["unique_id"]).sum()
    min_points = min_history(horizon, season_length)
    simple = (demand_months == 0) | (points < min_points)
    intermittent = ~simple & (points >= ADI_INTERMITTENT * demand_months)
    return {
        "simple": points.index[simple],
        "intermittent": points.index[intermittent],
        "regular": points.index[~simple & ~intermittent],
    }
