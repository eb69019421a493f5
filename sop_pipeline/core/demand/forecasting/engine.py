"""The forecast engine: monthly series in long format to per-series forecasts with intervals.

Each series takes one route (`classify.routes`):

1. `zero`, no demand at all: forecast 0, intervals 0 (`fallback`);
2. `short`, fewer months than `min_history` (two seasons): `recent_mean` (`fallback`); the
   demand-level forecast gives such series their family's seasonal profile instead;
3. `intermittent` (Syntetos-Boylan intermittent or lumpy, ADI >= 1.32): Croston SBA, ADIDA,
   IMAPA and TSB compete on held-out months (`selection`), the winner is refitted on the whole
   series (`refit`), intervals from the held-out errors;
4. `regular` (smooth or erratic): the mean ensemble of ETS, Theta and CES (`ensemble`).

Series with the same history are fitted once (`distinct`). Forecasts and bounds are clipped
at zero and nested (`intervals`). Every statsforecast call
runs locally or, with `SOP_DASK_SCHEDULER` set, on that Dask cluster (`distributed`).
"""

from __future__ import annotations

import pandas as pd

from sop_pipeline.core.calendar import month_starts, months_between_series, shift_months
from sop_pipeline.core.demand.forecasting.candidates import intermittent_models
from sop_pipeline.core.demand.forecasting.classify import routes
from sop_pipeline.core.demand.forecasting.distinct import distinct_series, with_copies
from sop_pipeline.core.demand.forecasting.ensemble import ensemble_forecasts
from sop_pipeline.core.demand.forecasting.fallback import simple_forecasts
from sop_pipeline.core.demand.forecasting.intervals import BOUNDS, tidy_bounds
from sop_pipeline.core.demand.forecasting.refit import forecast_chosen, worker_count
from sop_pipeline.core.demand.forecasting.selection import (
    choose_models,
    held_out_months,
    holdout_errors,
)

FORECAST_COLUMNS = ["unique_id", "ds", "forecast", "model", *BOUNDS]


def forecast_series(
    history: pd.DataFrame, horizon: int, season_length: int = 12, panel_end: bool = False
) -> pd.DataFrame:
    """Forecast every series of `history` (unique_id, ds at month start, y) over the `horizon`
    months after its own last month (statsforecast's convention): grain unique_id x ds, with the
    model used and 80/95 % bounds (lo_80, hi_80, lo_95, hi_95), all non-negative. Missing months
    inside a series count as zero demand, as missing months in sales history do; with
    `panel_end`, so do the months after a series' last row up to the panel's last month, and
    every series is forecast from there."""
    series = _prepared(history, panel_end)
    if series.empty or horizon < 1:
        return pd.DataFrame({c: pd.Series(dtype=float) for c in FORECAST_COLUMNS})
    series, copies = distinct_series(series)
    route = routes(series, min_history(horizon, season_length))
    members = {name: series[series["unique_id"].isin(ids)] for name, ids in _groups(route)}
    frames = []
    if "simple" in members:
        frames.append(simple_forecasts(members["simple"], horizon))
    if "regular" in members:
        regular = members["regular"]
        n_jobs = worker_count(regular["unique_id"].nunique())
        frames.append(ensemble_forecasts(regular, horizon, season_length, n_jobs))
    if "intermittent" in members:
        frames.append(_intermittent(members["intermittent"], horizon))
    forecasts = with_copies(tidy_bounds(pd.concat(frames, ignore_index=True)), copies)
    return forecasts.sort_values(["unique_id", "ds"], ignore_index=True)[FORECAST_COLUMNS]


def min_history(horizon: int, season_length: int) -> int:
    """Months a series needs for the candidates: two seasons, and at least one season before
    the held-out months."""
    return max(2 * season_length, held_out_months(horizon) + max(season_length, 1))


def _prepared(history: pd.DataFrame, panel_end: bool) -> pd.DataFrame:
    """Monthly series from each one's first month to its own last (`panel_end`: to the panel's
    last), missing months as 0."""
    series = history[["unique_id", "ds", "y"]].copy()
    series["ds"] = month_starts(pd.to_datetime(series["ds"]))  # strict: bad dates raise
    series["y"] = series["y"].astype(float)
    series = series.groupby(["unique_id", "ds"], as_index=False)["y"].sum()
    if series.empty:
        return series
    span = series.groupby("unique_id", as_index=False)["ds"].agg(["min", "max"])
    last = series["ds"].max() if panel_end else span["max"]
    first = span[["unique_id", "min"]].rename(columns={"min": "ds"})
    filled = zero_filled(series, first, last, "ds", "y")
    return filled.sort_values(["unique_id", "ds"], ignore_index=True)


def zero_filled(
    totals: pd.DataFrame,
    first: pd.DataFrame,
    last: pd.Timestamp | pd.Series,
    month: str,
    value: str,
) -> pd.DataFrame:
    """`totals` (keys, `month`, `value`) on every month from each series' first month (`first`:
    keys and `month`) through `last` (one month, or one per row of `first`), months without a
    row as 0."""
    keys = [c for c in first.columns if c != month]
    starts = first[month]
    months = months_between_series(starts, last) + 1
    grid = first.loc[first.index.repeat(months)].reset_index(drop=True)
    step = grid.groupby(keys).cumcount().to_numpy()
    grid[month] = shift_months(grid[month], step)
    return grid.merge(totals, on=[*keys, month], how="left").fillna({value: 0.0})


def _groups(route: pd.Series) -> list[tuple[str, pd.Index]]:
    """unique_ids per engine branch: simple (zero or short), regular, intermittent."""
    branch = route.replace({"zero": "simple", "short": "simple"})
    return [(str(name), ids) for name, ids in branch.groupby(branch).groups.items()]


def _intermittent(series: pd.DataFrame, horizon: int) -> pd.DataFrame:
    """Croston-type forecasts, the model chosen per series on held-out months."""
    models = intermittent_models()
    n_jobs = worker_count(series["unique_id"].nunique())
    errors = holdout_errors(series, models, horizon, n_jobs)
    chosen = choose_models(errors, [m.alias for m in models])
    return forecast_chosen(series, chosen, errors, horizon)
