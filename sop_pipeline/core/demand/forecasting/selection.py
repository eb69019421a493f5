"""Model selection of intermittent series on held-out months (rolling-origin
cross-validation).

Every candidate forecasts the last months of each series from two origins three months apart,
each window `min(horizon, 6)` months ahead, so selection never sees the months it is judged
on; the cheap Croston-type methods are refitted per origin.

The candidate with the lowest mean squared error over both windows wins (the absolute error
would reward forecasting zero on sparse series, whereas Croston-type methods estimate the
mean). A candidate that fails to fit in a window cannot win; ties go to the earlier candidate.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from statsforecast import StatsForecast
from statsforecast.models import NaNModel

from sop_pipeline.core.demand.forecasting.distributed import run_statsforecast

SELECTION_HORIZON = 6
SELECTION_WINDOWS = 2
SELECTION_STEP = 3
ERROR_COLUMNS = ["unique_id", "model", "ds", "y", "prediction", "error"]


def selection_horizon(horizon: int) -> int:
    """Months ahead that each held-out window forecasts."""
    return max(1, min(horizon, SELECTION_HORIZON))


def held_out_months(horizon: int) -> int:
    """Months at the end of each series that selection holds out."""
    return selection_horizon(horizon) + SELECTION_STEP * (SELECTION_WINDOWS - 1)


def holdout_errors(
    history: pd.DataFrame, models: list[Any], horizon: int, n_jobs: int
) -> pd.DataFrame:
    """Every candidate's held-out errors: one row per unique_id x model x window month
    (`prediction` and `error` = y - prediction are NaN where the model failed to fit)."""
    engine = StatsForecast(models=models, freq="MS", n_jobs=n_jobs, fallback_model=NaNModel())
    windows = run_statsforecast(
        engine,
        "cross_validation",
        history,
        h=selection_horizon(horizon),
        n_windows=SELECTION_WINDOWS,
        step_size=SELECTION_STEP,
        refit=not all(hasattr(m, "forward") for m in models),
    )
    errors = windows.melt(
        id_vars=["unique_id", "ds", "y"],
        value_vars=[m.alias for m in models],
        var_name="model",
        value_name="prediction",
    )
    errors["error"] = errors["y"] - errors["prediction"]
    return errors[ERROR_COLUMNS]


def choose_models(errors: pd.DataFrame, candidates: list[str]) -> pd.Series:
    """The winning candidate per unique_id (index unique_id, values model alias)."""
    loss = errors["error"] ** 2
    keys = [errors["unique_id"], errors["model"]]
    summary = loss.groupby(keys, sort=False).agg(["mean", "count", "size"])
    failed = summary["count"] < summary["size"]
    scores = summary["mean"].where(~failed, np.inf).rename("score").reset_index()
    scores["rank"] = scores["model"].map({name: i for i, name in enumerate(candidates)})
    best = scores.sort_values(["unique_id", "score", "rank"]).drop_duplicates("unique_id")
    return best.set_index("unique_id")["model"]
