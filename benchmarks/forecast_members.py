"""Benchmark: what each ensemble member costs per series, on one core, on the demo's series.

Generates the demo company's sales history for `--skus` SKUs (as `cycle_benchmark` does, without
writing the exports), builds the cycle's hierarchy nodes as the forecast step does, takes the
first `--series` series that the engine routes to the ensemble, and times statsforecast on them
in this process (`n_jobs=1`) once per member, with and without the 80/95 % intervals, and ETS in
its previous `AZA` form beside the engine's `ZZA`. Prints milliseconds per series. Usage:

    python -m benchmarks.forecast_members [--skus 3000] [--series 300] [--cycle 2026-11]

Multiplied by the number of distinct regular series and divided by the cores, the sum of the
members' figures is the forecast step's floor: the engine cannot be faster than its models.
"""

from __future__ import annotations

import argparse
import time
import warnings
from typing import Any

import pandas as pd

from sop_pipeline.core.demand.forecast import filled_series
from sop_pipeline.core.demand.forecasting.candidates import ensemble_members
from sop_pipeline.core.demand.forecasting.classify import routes
from sop_pipeline.core.demand.forecasting.engine import _prepared, min_history
from sop_pipeline.core.demand.forecasting.ensemble import INTERVAL_MEMBERS
from sop_pipeline.core.demand.forecasting.hierarchy import node_series
from sop_pipeline.core.demand.forecasting.intervals import LEVELS
from sop_pipeline.demo.company import build_company, drop_frames, start_world
from sop_pipeline.demo.months import month_ordinal

HORIZON = 18
SEASON = 12


def regular_series(skus: int, cycle: str, n_series: int) -> pd.DataFrame:
    """The first `n_series` ensemble-routed node series (unique_id, ds, y) of the demo's cycle."""
    last = month_ordinal(cycle)
    company = build_company(7, last, 36, skus)
    world = start_world(company)
    world.run_house_planning(until=last)
    frames = drop_frames(world, last, full=True, poisoned=False)
    sales = frames["sales_history"]
    start = pd.Timestamp(f"{cycle}-01")
    actuals = pd.DataFrame(
        {
            "sku": sales["sku"],
            "region": sales["region"],
            "month": pd.to_datetime(sales["ship_date"]).dt.to_period("M").dt.to_timestamp(),
            "quantity": pd.to_numeric(sales["quantity"]),
        }
    )
    catalogue = frames["items"].drop_duplicates("sku")[["sku", "family"]]
    nodes = node_series(filled_series(actuals, catalogue, start))
    history = pd.DataFrame(
        {
            "unique_id": nodes["level"].astype(str) + "|" + nodes["node"].astype(str),
            "ds": nodes["month"],
            "y": nodes["quantity"],
        }
    )
    series = _prepared(history, panel_end=False)
    route = routes(series, min_history(HORIZON, SEASON))
    chosen = route[route == "regular"].index[:n_series]
    return series[series["unique_id"].isin(chosen)]


def ms_per_series(series: pd.DataFrame, model: Any, intervals: bool) -> float:
    """Milliseconds per series to fit `model` and forecast the horizon, in this process."""
    from statsforecast import StatsForecast

    engine = StatsForecast(models=[model], freq="MS", n_jobs=1)
    started = time.perf_counter()
    engine.forecast(df=series, h=HORIZON, level=list(LEVELS) if intervals else None)
    return 1000 * (time.perf_counter() - started) / series["unique_id"].nunique()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skus", type=int, default=3000)
    parser.add_argument("--series", type=int, default=300)
    parser.add_argument("--cycle", default="2026-11")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    from statsforecast.models import AutoETS

    series = regular_series(args.skus, args.cycle, args.series)
    months = series.groupby("unique_id").size().median()
    print(f"{series['unique_id'].nunique()} regular series, median {months:.0f} months")
    members = ensemble_members(SEASON)
    previous = AutoETS(season_length=SEASON, model="AZA", alias="ETS AZA")
    total = 0.0
    for model in [*members, previous]:
        with_intervals = ms_per_series(series, model, intervals=True)
        points = ms_per_series(series, model, intervals=False)
        if model in members:
            total += with_intervals if model.alias in INTERVAL_MEMBERS else points
        print(f"{model.alias:<8} {with_intervals:6.1f} ms with intervals, {points:6.1f} ms points")
    print(f"the engine's members as it runs them (ETS and Theta with intervals): {total:.1f} ms")


if __name__ == "__main__":
    main()
