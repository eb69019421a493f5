"""The engine over many series in chunks, saying after each chunk how many series are done.

statsforecast reports nothing while it fits, so a long forecast would run silently for
minutes. `forecast_in_chunks` hands the engine whole series, `CHUNK_SERIES` at a time, and calls
`on_progress(done, total)` after each chunk. Every series is fitted on its own, so the chunks
give the same forecasts as one call, provided every series ends in the same month (the engine
forecasts from the panel's last month, as the cycle's series all do). A panel of at most
`CHUNK_SERIES` series is one call, as before. A larger one is ordered by the route each series
takes through the engine (`classify.routes`) before it is cut, so that a chunk is one big batch
of one route: the engine starts worker processes for a batch of 300 series or more only
(`refit.worker_count`), and unordered chunks would leave a small route's share of every chunk
to one core. What remains is the engine's fixed cost per call (starting the worker pool), paid
once per chunk (benchmarks/forecast_chunks.py measures it).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from sop_pipeline.core.demand.forecasting.classify import routes
from sop_pipeline.core.demand.forecasting.engine import forecast_series, min_history

ProgressCallback = Callable[[int, int], None]  # (series done, series in all)
CHUNK_SERIES = 2000


def forecast_in_chunks(
    history: pd.DataFrame,
    horizon: int,
    season_length: int,
    on_progress: ProgressCallback | None = None,
    chunk_series: int = CHUNK_SERIES,
) -> pd.DataFrame:
    """`forecast_series(history, horizon, season_length)`, computed `chunk_series` series at a
    time, `on_progress` called after each chunk with the series done so far and the total."""
    total = history["unique_id"].nunique()
    if total <= chunk_series:
        forecasts = forecast_series(history, horizon, season_length)
        if on_progress is not None:
            on_progress(total, total)
        return forecasts
    ids = _ids_by_route(history, horizon, season_length)
    chunk_of = pd.Series(np.arange(total) // chunk_series, index=ids)
    frames, done = [], 0
    for _, chunk in history.groupby(history["unique_id"].map(chunk_of), sort=True):
        frames.append(forecast_series(chunk, horizon, season_length))
        done += chunk["unique_id"].nunique()
        if on_progress is not None:
            on_progress(done, total)
    forecasts = pd.concat(frames, ignore_index=True)
    return forecasts.sort_values(["unique_id", "ds"], ignore_index=True)


def _ids_by_route(history: pd.DataFrame, horizon: int, season_length: int) -> np.ndarray:
    """Every series' unique_id, those taking the same route through the engine together."""
    ordered = history.sort_values(["unique_id", "ds"], ignore_index=True)
    route = routes(ordered, min_history(horizon, season_length))
    return route.sort_values(kind="stable").index.to_numpy()
