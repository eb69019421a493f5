"""Refit each series' chosen model on its whole history and forecast the horizon.

Series are grouped by their chosen model so that each is refitted with that model only. If a
chosen model fails on the full history (a numerical failure, rare), the seasonal naive stands
in under the chosen model's name.
"""

from __future__ import annotations

import pandas as pd
from statsforecast import StatsForecast
from statsforecast.models import SeasonalNaive

from sop_pipeline.core.forecasting.candidates import INTERMITTENT_ALIASES, model_named
from sop_pipeline.core.forecasting.intervals import LEVELS, with_holdout_intervals

PARALLEL_MIN_SERIES = 300  # below this, starting worker processes costs more than it saves


def worker_count(n_series: int) -> int:
    """statsforecast's n_jobs for a batch: all cores for big batches, else in-process."""
    return -1 if n_series >= PARALLEL_MIN_SERIES else 1


def forecast_chosen(
    history: pd.DataFrame,
    chosen: pd.Series,
    errors: pd.DataFrame,
    horizon: int,
    season_length: int,
) -> pd.DataFrame:
    """Forecasts of each series with its chosen model (`chosen`: unique_id -> alias), with
    intervals native or from the held-out `errors`: grain unique_id x ds."""
    frames = []
    for alias, series_ids in chosen.groupby(chosen).groups.items():
        subset = history[history["unique_id"].isin(series_ids)]
        native = alias not in INTERMITTENT_ALIASES
        engine = StatsForecast(
            models=[model_named(str(alias), season_length)],
            freq="MS",
            n_jobs=worker_count(len(series_ids)),
            fallback_model=SeasonalNaive(season_length=season_length) if native else None,
        )
        raw = engine.forecast(df=subset, h=horizon, level=list(LEVELS) if native else None)
        frame = raw.rename(columns=_table_names(str(alias))).assign(model=alias)
        if not native:
            own = errors[(errors["model"] == alias) & errors["unique_id"].isin(series_ids)]
            frame = with_holdout_intervals(frame, own)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _table_names(alias: str) -> dict[str, str]:
    """statsforecast's output columns of one model to the forecast table's."""
    bounds = {f"{alias}-{side}-{lv}": f"{side}_{lv}" for lv in LEVELS for side in ("lo", "hi")}
    return {alias: "forecast", **bounds}
