"""Benchmark: the forecast engine on 10,000 generated monthly series, locally and on Dask.

Times `forecast_series` (the real engine: ensemble for regular series, Croston-type selection
for intermittent ones) on the same generated panel twice: in this process with statsforecast's
forked workers (all cores), then through `SOP_DASK_SCHEDULER` on a two-worker `LocalCluster`
(one process and one thread per worker). Prints both wall times, series per second, their ratio
and whether both runs gave the same forecasts. Usage:

    python -m benchmarks.forecast_scale [--series 10000] [--months 48] [--horizon 18]

On one machine the cluster cannot be faster than the local pool (same cores, plus scheduling
and Fugue's shuffle); the figure says what the distribution costs, so that a real cluster's
gain can be judged against it.
"""

from __future__ import annotations

import argparse
import os
import time
import warnings

import numpy as np
import pandas as pd

from sop_pipeline.core.demand.forecasting.distributed import SCHEDULER_VARIABLE

INTERMITTENT_SHARE = 0.2


def generated_panel(n_series: int, months: int, seed: int = 0) -> pd.DataFrame:
    """Monthly demand series: seasonal with a random phase, level and trend; a share of them
    intermittent. Long format (unique_id, ds, y)."""
    rng = np.random.default_rng(seed)
    t = np.arange(months)
    level = rng.uniform(20, 500, (n_series, 1))
    season = 1 + rng.uniform(0, 0.5, (n_series, 1)) * np.sin(
        2 * np.pi * (t + rng.integers(0, 12, (n_series, 1))) / 12
    )
    trend = 1 + rng.normal(0, 0.01, (n_series, 1)) * t
    values = np.clip(level * season * trend * rng.normal(1, 0.1, (n_series, months)), 0, None)
    sparse = rng.random(n_series) < INTERMITTENT_SHARE
    shape = (int(sparse.sum()), months)
    values[sparse] = (rng.random(shape) < 0.3) * rng.poisson(5, shape)
    ds = pd.date_range("2021-01-01", periods=months, freq="MS")
    return pd.DataFrame(
        {
            "unique_id": np.repeat([f"s{i:06d}" for i in range(n_series)], months),
            "ds": np.tile(ds, n_series),
            "y": values.round().ravel(),
        }
    )


def timed_engine(panel: pd.DataFrame, horizon: int) -> tuple[pd.DataFrame, float]:
    from sop_pipeline.core.demand.forecasting.engine import forecast_series

    start = time.perf_counter()
    result = forecast_series(panel, horizon=horizon)
    return result, time.perf_counter() - start


def panel_parser(doc: str, series: int) -> argparse.ArgumentParser:
    """The options of a benchmark on a generated panel: --series, --months, --horizon."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--series", type=int, default=series)
    parser.add_argument("--months", type=int, default=48)
    parser.add_argument("--horizon", type=int, default=18)
    return parser


def main() -> None:
    args = panel_parser(__doc__, 10_000).parse_args()
    warnings.filterwarnings("ignore")
    from distributed import LocalCluster

    panel = generated_panel(args.series, args.months)
    os.environ.pop(SCHEDULER_VARIABLE, None)
    local, local_seconds = timed_engine(panel, args.horizon)
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        os.environ[SCHEDULER_VARIABLE] = cluster.scheduler_address
        try:
            remote, dask_seconds = timed_engine(panel, args.horizon)
        finally:
            os.environ.pop(SCHEDULER_VARIABLE, None)
    same_models = bool((local["model"] == remote["model"]).all())
    gap = float(np.max(np.abs(local["forecast"] - remote["forecast"]) / local["forecast"].clip(1)))
    n = args.series
    print(f"engine on {n:,} series x {args.months} months, horizon {args.horizon}")
    print("| run | wall s | series/s |\n|---|---:|---:|")
    local_run = f"local (forked pool, {os.cpu_count()} cores)"
    print(f"| {local_run} | {local_seconds:.1f} | {n / local_seconds:.0f} |")
    print(f"| Dask LocalCluster, 2 workers | {dask_seconds:.1f} | {n / dask_seconds:.0f} |")
    print(f"Dask / local time: {dask_seconds / local_seconds:.2f}; same models: {same_models}; "
          f"largest relative forecast difference: {gap:.1e}")  # fmt: skip


if __name__ == "__main__":
    main()
