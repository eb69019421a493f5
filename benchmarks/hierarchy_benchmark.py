"""Benchmark: what the coherent hierarchy adds to the forecast step on the demo company.

Builds the demo company's history (full drop of the last cycle), then times, with medians over
the repeats: the bottom level alone (engine and family profiles on SKU x region series, the
forecast before the hierarchy existed), and the whole hierarchy (base forecasts of every level
plus the MinTrace reconciliation), and the reconciliation alone. Usage:

    python -m benchmarks.hierarchy_benchmark [--skus 200] [--horizon 18] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

import pandas as pd

from sop_pipeline.core.demand.forecasting import demand
from sop_pipeline.core.demand.forecasting.hierarchy import (
    BOTTOM,
    hierarchy_nodes,
    node_series,
    summing_matrix,
)
from sop_pipeline.core.demand.forecasting.reconciliation import reconcile
from sop_pipeline.demo.company import build_company, drop_frames
from sop_pipeline.demo.months import month_labels, month_ordinal

CYCLE = "2026-11"


def demo_history(n_skus: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.Timestamp]:
    """Monthly actuals and the item master the demo company's last cycle sees."""
    last = month_ordinal(CYCLE)
    company = build_company(7, last, 36, n_skus)
    frames = drop_frames(company, len(company.cycles) - 1, full=True, poisoned=False)
    lines = frames["sales_history"]
    month = pd.to_datetime(lines["ship_date"]).dt.to_period("M").dt.to_timestamp()
    actuals = lines.assign(month=month).groupby(["sku", "region", "month"], as_index=False)
    sales = actuals["quantity"].sum()
    cycle = pd.Timestamp(f"{month_labels(last)}-01")
    return sales[sales["month"] < cycle], frames["items"], cycle


def timed(function, repeat: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skus", type=int, default=200)
    parser.add_argument("--horizon", type=int, default=18)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sales, items, cycle = demo_history(args.skus)
    catalogue = items.drop_duplicates("sku")[["sku", "family"]]
    monthly = demand.filled_series(sales, catalogue, cycle)
    series = node_series(monthly)
    bottom = series[series["level"] == BOTTOM]

    def bottom_only() -> pd.DataFrame:
        return demand.base_forecasts(bottom, monthly, cycle, args.horizon, 12)

    def whole() -> demand.DemandForecast:
        return demand.forecast_levels(sales, items, cycle, args.horizon)

    base = demand.base_forecasts(series, monthly, cycle, args.horizon, 12)
    nodes = hierarchy_nodes(monthly)
    summing = summing_matrix(nodes)
    ended = base.iloc[0:0]

    def reconciliation() -> pd.DataFrame:
        return reconcile(base, nodes, summing, ended, series)

    bottom_time, _ = timed(bottom_only, args.repeat)
    whole_time, result = timed(whole, args.repeat)
    reconcile_time, _ = timed(reconciliation, args.repeat)
    counts = nodes["level"].value_counts()
    print(f"demo company: {args.skus} SKUs, horizon {args.horizon}, median of {args.repeat}")
    print("nodes per level: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    print(f"bottom level only (before):      {bottom_time:7.2f} s")
    print(f"whole hierarchy (after):          {whole_time:7.2f} s")
    print(f"  of which reconciliation:        {reconcile_time:7.2f} s")
    print(f"extra time for the hierarchy:     {whole_time - bottom_time:7.2f} s "
          f"(x{whole_time / bottom_time:.2f})")  # fmt: skip
    hierarchy = result.hierarchy  # type: ignore[attr-defined]
    total = hierarchy[hierarchy["level"] == "total"].set_index("month")["forecast"]
    summed = hierarchy[hierarchy["level"] == BOTTOM].groupby("month")["forecast"].sum()
    print(f"coherence, max |total - sum of bottom|: {float((total - summed).abs().max()):.2e}")


if __name__ == "__main__":
    main()
