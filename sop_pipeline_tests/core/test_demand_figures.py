"""The headline figures beside the demand-review tables, on hand-made rows."""

from __future__ import annotations

import pandas as pd

from sop_pipeline.defs.demand.metadata import (
    counts,
    forecast_accuracy_figures,
    forecast_hierarchy_figures,
    override_log_figures,
    statistical_forecast_figures,
)

CYCLE = pd.Timestamp("2024-01-01")


def test_counts_most_frequent_first_and_none_when_empty() -> None:
    assert counts(pd.Series(["b", "a", "b"])) == "b: 2, a: 1"
    assert counts(pd.Series([], dtype=object)) == "none"


def test_statistical_forecast_counts_series_once_and_sums_three_months() -> None:
    months = pd.date_range(CYCLE, periods=4, freq="MS")
    forecast = pd.DataFrame(
        {
            "sku": ["A"] * 4 + ["B"] * 4,
            "region": ["N"] * 8,
            "month": [*months, *months],
            "model": ["ensemble"] * 4 + ["TSB"] * 4,
            "forecast": [1.0, 2.0, 3.0, 100.0, 10.0, 10.0, 10.0, 100.0],
        }
    )
    figures = statistical_forecast_figures(forecast, CYCLE)
    assert figures == {
        "rows": 8,
        "series": 2,
        "models_chosen": "ensemble: 1, TSB: 1",
        "forecast_next_3_months": 36.0,
    }


def test_hierarchy_change_is_the_share_reconciliation_moved() -> None:
    hierarchy = pd.DataFrame(
        {
            "level": ["total", "sku_region", "sku_region"],
            "node": ["total", "A/N", "B/N"],
            "base_forecast": [100.0, 60.0, 40.0],
            "forecast": [90.0, 55.0, 35.0],
        }
    )
    figures = forecast_hierarchy_figures(hierarchy)
    assert figures["nodes_per_level"] == "sku_region: 2, total: 1"
    assert figures["reconciliation_change_pct"] == 10.0  # 20 of 200


def test_accuracy_per_lag() -> None:
    """Actual 10 each: inside the lag-1 bands [9, 15] and the lag-3 [0, 10], not [6, 9]."""
    accuracy = pd.DataFrame(
        {
            "lag": [1, 1, 3],
            "forecast": [12.0, 8.0, 5.0],
            "actual": [10.0, 10.0, 10.0],
            "lo_80": [9.0, 6.0, 0.0],
            "hi_80": [15.0, 9.0, 10.0],
        }
    )
    accuracy["abs_error"] = (accuracy["forecast"] - accuracy["actual"]).abs()
    figures = forecast_accuracy_figures(accuracy)
    assert figures == {
        "rows": 3,
        "accuracy_lag1": 0.8,
        "bias_lag1": 0.0,
        "interval_coverage_80_lag1": 0.5,
        "accuracy_lag3": 0.5,
        "bias_lag3": -0.5,
        "interval_coverage_80_lag3": 1.0,
    }


def test_override_log_without_overrides() -> None:
    log = pd.DataFrame({"applied": [], "in_firm_window": [], "status": []}, dtype=object)
    assert override_log_figures(log) == {
        "overrides": 0,
        "applied": 0,
        "in_firm_window": 0,
        "by_status": "none",
    }
