"""Where statsforecast runs: in this process (forked workers), or on a Dask cluster.

When the environment variable `SOP_DASK_SCHEDULER` holds a scheduler address (for example
`tcp://10.0.0.5:8786`), every statsforecast call of the engine connects to that scheduler and
passes the series as a Dask frame, which statsforecast hands to Fugue: each series is fitted on
a worker, one series per task group, with the same models and settings as locally. The
variable is read at each call, not at import, so a running process picks up a change. Without
it, statsforecast forks `n_jobs` local worker processes.

Fugue returns model outputs as float32; they are widened back to float64 here, so a Dask run
equals a local run to about seven significant digits.
"""

from __future__ import annotations

import os
from typing import Any, Literal

import pandas as pd
from statsforecast import StatsForecast

SCHEDULER_VARIABLE = "SOP_DASK_SCHEDULER"
SERIES_PER_PARTITION = 200  # Dask partitions of the input: enough to feed every worker


def scheduler_address() -> str | None:
    """The Dask scheduler the engine should use, or None to run locally."""
    return os.environ.get(SCHEDULER_VARIABLE, "").strip() or None


def run_statsforecast(
    engine: StatsForecast,
    method: Literal["forecast", "cross_validation"],
    df: pd.DataFrame,
    **kwargs: Any,
) -> pd.DataFrame:
    """`engine.forecast(df=df, ...)` or `engine.cross_validation(df=df, ...)` as a pandas frame,
    computed on the configured Dask cluster when there is one."""
    address = scheduler_address()
    if address is None:
        return getattr(engine, method)(df=df, **kwargs)
    # imported here: only a configured cluster needs them, and they take a second to load
    import dask.dataframe as dd
    from distributed import Client

    n_series = max(1, df["unique_id"].nunique())
    partitions = max(1, -(-n_series // SERIES_PER_PARTITION))
    with Client(address):
        frame = dd.from_pandas(df, npartitions=partitions, sort=False)
        result = getattr(engine, method)(df=frame, **kwargs).compute()
    return _like_local(pd.DataFrame(result), df)


def _like_local(result: pd.DataFrame, df: pd.DataFrame) -> pd.DataFrame:
    """Dask output in the local run's types and order: float64 values, the input's id and
    month types (Fugue hands back Arrow types)."""
    times = [c for c in ("ds", "cutoff") if c in result.columns]
    values = [c for c in result.columns if c not in ("unique_id", *times)]
    out = result.astype({c: "float64" for c in values})
    out["unique_id"] = out["unique_id"].astype(df["unique_id"].dtype)
    for column in times:
        out[column] = pd.to_datetime(out[column]).astype(df["ds"].dtype)
    return out.sort_values(["unique_id", *reversed(times)], ignore_index=True)
