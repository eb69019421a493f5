"""The forecast says how far it got: the engine in chunks of series reports monotone counts
ending at the total and gives the same forecasts as one call; the cycle's forecast passes its
nodes' counts on. Generated seasonal and intermittent series, the real engine."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sop_pipeline.core.demand.forecast import forecast_levels
from sop_pipeline.core.demand.forecasting.chunked import forecast_in_chunks
from sop_pipeline.core.demand.forecasting.engine import forecast_series
from sop_pipeline_tests import factories

MONTHS = pd.date_range("2022-01-01", periods=36, freq="MS")


def panel(n_series: int) -> pd.DataFrame:
    """Seasonal series, every third one intermittent, all ending in the same month."""
    rng = np.random.default_rng(3)
    season = 1 + 0.3 * np.sin(2 * np.pi * np.arange(len(MONTHS)) / 12)
    frames = []
    for i in range(n_series):
        if i % 3 == 2:
            y = (rng.random(len(MONTHS)) < 0.25) * rng.poisson(6, len(MONTHS))
        else:
            y = np.round(rng.uniform(40, 400) * season * rng.normal(1, 0.1, len(MONTHS)))
        frames.append(pd.DataFrame({"unique_id": f"s{i}", "ds": MONTHS, "y": y.astype(float)}))
    return pd.concat(frames, ignore_index=True)


def test_chunks_report_series_done_and_forecast_as_one_call() -> None:
    history = panel(8)
    seen: list[tuple[int, int]] = []
    chunked = forecast_in_chunks(history, 6, 12, lambda done, total: seen.append((done, total)), 3)
    assert seen == [(3, 8), (6, 8), (8, 8)]
    pd.testing.assert_frame_equal(chunked, forecast_series(history, 6, 12))


def test_a_panel_within_one_chunk_is_one_call_reported_once() -> None:
    seen: list[tuple[int, int]] = []
    forecast_in_chunks(panel(2), 6, 12, lambda done, total: seen.append((done, total)))
    assert seen == [(2, 2)]


def test_the_cycle_forecast_reports_its_nodes_up_to_all_of_them() -> None:
    history = panel(4).rename(columns={"unique_id": "sku", "ds": "month", "y": "quantity"})
    sales = history.assign(region="N", revenue=history["quantity"] * 2.0)
    items = factories.items(["s0", "s1", "s2", "s3"], family=["F1", "F1", "F2", "F2"])
    seen: list[tuple[int, int]] = []
    levels = forecast_levels(
        sales, items, pd.Timestamp("2025-01-01"), 6, on_progress=lambda d, t: seen.append((d, t))
    )
    nodes = len(levels.hierarchy.drop_duplicates(["level", "node"]))
    dones = [done for done, _ in seen]
    assert dones == sorted(dones) and seen[-1] == (nodes, nodes)
