"""Refit each intermittent series' chosen model on its whole history and forecast the horizon.

Series are grouped by their chosen model so that each is refitted with that model only. The
Croston-type models have no native intervals: theirs come from the held-out errors of model
selection (`intervals.with_holdout_intervals`).
"""

from __future__ import annotations

import pandas as pd
from statsforecast import StatsForecast

from sop_pipeline.core.demand.forecasting.candidates import intermittent_model
from sop_pipeline.core.demand.forecasting.distributed import run_statsforecast
from sop_pipeline.core.demand.forecasting.intervals import with_holdout_intervals

PARALLEL_MIN_SERIES = 300  # below this, starting worker processes costs more than it saves


def worker_count(n_series: int) -> int:
    """statsforecast's n_jobs for a batch: all cores for big batches, else in-process."""
    return -1 if n_series >= PARALLEL_MIN_SERIES else 1


def forecast_chosen(
    history: pd.DataFrame, chosen: pd.Series, errors: pd.DataFrame, horizon: int
) -> pd.DataFrame:
    """Forecasts of each series with its chosen model (`chosen`: unique_id -> alias), with
    intervals from the held-out `errors`: grain unique_id x ds."""
    frames = []
    for alias, series_ids in chosen.groupby(chosen).groups.items():
        subset = history[history["unique_id"].isin(series_ids)]
        engine = StatsForecast(
            models=[intermittent_model(str(alias))],
            freq="MS",
            n_jobs=worker_count(len(series_ids)),
        )
        raw = run_statsforecast(engine, "forecast", subset, h=horizon)
        frame = raw.rename(columns={str(alias): "forecast"}).assign(model=alias)
        own = errors[(errors["model"] == alias) & errors["unique_id"].isin(series_ids)]
        frames.append(with_holdout_intervals(frame, own))
    return pd.concat(frames, ignore_index=True)
