"""Accuracy over time on a hand-computed example: cycle April 2025 scores March 2025, made by
January (lag 3) and March (lag 1); SKU A (family F1) and B (F2) in region N."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sop_pipeline.core.demand.accuracy import scored_forecasts
from sop_pipeline.core.demand.value_added import forecast_value_added
from sop_pipeline.core.tables import row_columns

JAN, FEB, MAR, APR = (pd.Timestamp(f"2025-{m:02d}-01") for m in (1, 2, 3, 4))
MAR_2024 = pd.Timestamp("2024-03-01")


def frame(columns: str, *rows: tuple[object, ...]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=columns.split())


def statistical_history() -> pd.DataFrame:
    return frame(
        "cycle sku region month forecast",
        (JAN, "A", "N", MAR, 90.0),
        (JAN, "B", "N", MAR, 10.0),
        (MAR, "A", "N", MAR, 110.0),
        (MAR, "B", "N", MAR, 20.0),
        (MAR, "A", "N", APR, 999.0),  # another month: not scored
    )


def plan_history() -> pd.DataFrame:
    return frame(
        "cycle sku region month demand",
        (JAN, "A", "N", MAR, 95.0),
        (JAN, "B", "N", MAR, 10.0),
        (MAR, "A", "N", MAR, 105.0),
        (MAR, "B", "N", MAR, 5.0),
    )


def sales() -> pd.DataFrame:
    """March: A sold 100, B nothing; a year earlier A 80 and B 10."""
    return frame(
        "sku region month quantity revenue",
        ("A", "N", MAR, 100.0, 1.0),
        ("A", "N", MAR_2024, 80.0, 1.0),
        ("B", "N", MAR_2024, 10.0, 1.0),
    )


def items() -> pd.DataFrame:
    return frame("sku family", ("A", "F1"), ("B", "F2"))


@pytest.fixture(scope="module")
def scored() -> pd.DataFrame:
    return scored_forecasts(statistical_history(), sales(), APR, plan_history())


def test_scored_rows_carry_naive_and_consensus(scored: pd.DataFrame) -> None:
    assert list(scored.columns) == row_columns("forecast_accuracy")
    assert list(scored.columns)[-2:] == ["naive", "consensus"]
    rows = {
        (r.sku, r.lag): (r.forecast, r.actual, r.naive, r.consensus) for r in scored.itertuples()
    }
    assert rows == {
        ("A", 1): (110.0, 100.0, 80.0, 105.0),
        ("B", 1): (20.0, 0.0, 10.0, 5.0),
        ("A", 3): (90.0, 100.0, 80.0, 95.0),
        ("B", 3): (10.0, 0.0, 10.0, 10.0),
    }


def test_value_added_by_hand(scored: pd.DataFrame) -> None:
    fva = forecast_value_added(scored, items())
    assert list(fva.columns) == row_columns("forecast_value_added")
    total = fva[fva["scope_type"] == "total"].set_index("lag")
    lag1, lag3 = total.loc[1], total.loc[3]
    # lag 1: |errors| naive 20 + 10, statistical 10 + 20, consensus 5 + 5, over 100 sold
    assert (lag1["naive_wape"], lag1["statistical_wape"], lag1["consensus_wape"]) == pytest.approx(
        (0.30, 0.30, 0.10)
    )
    assert (lag1["fva_statistical"], lag1["fva_consensus"]) == pytest.approx((0.0, 0.20))
    assert (lag1["statistical_bias"], lag1["consensus_bias"]) == pytest.approx((0.30, 0.10))
    assert lag1["statistical_mape"] == pytest.approx(0.10)  # B sold nothing: left out of MAPE
    assert (lag1["series"], lag1["actual"], lag1["statistical"]) == (2, 100.0, 130.0)
    # lag 3: naive 20 + 10, statistical 10 + 10, consensus 5 + 10
    assert (lag3["fva_statistical"], lag3["fva_consensus"]) == pytest.approx((0.10, 0.05))
    assert np.isnan(lag1["statistical_tracking_signal"])  # one month is no track yet


def test_scopes_family_region_and_sku(scored: pd.DataFrame) -> None:
    fva = forecast_value_added(scored, items())
    lag1 = fva[fva["lag"] == 1].set_index(["scope_type", "scope"])
    assert set(lag1.index) == {
        ("total", "total"),
        ("family", "F1"),
        ("family", "F2"),
        ("region", "N"),
        ("sku", "A"),
        ("sku", "B"),
    }
    assert lag1.loc[("family", "F1"), "statistical_wape"] == pytest.approx(0.10)
    assert np.isnan(lag1.loc[("family", "F2"), "statistical_wape"])  # nothing sold: undefined
    assert lag1.loc[("region", "N"), "consensus_wape"] == pytest.approx(0.10)


def test_tracking_signal_runs_over_earlier_cycles(scored: pd.DataFrame) -> None:
    earlier = frame(
        "cycle lag scope_type scope month actual statistical consensus",
        (FEB, 1, "total", "total", JAN, 100.0, 90.0, 100.0),
        (MAR, 1, "total", "total", FEB, 100.0, 120.0, 100.0),
    )
    fva = forecast_value_added(scored, items(), earlier)
    total = fva[(fva["scope_type"] == "total") & (fva["lag"] == 1)].iloc[0]
    # errors -10, +20, +30: sum 40 over mean |error| 20
    assert total["statistical_tracking_signal"] == pytest.approx(2.0)
    # consensus errors 0, 0, +5 + 5: sum 10 over mean 10/3
    assert total["consensus_tracking_signal"] == pytest.approx(3.0)


def test_consensus_is_missing_without_a_plan() -> None:
    scored = scored_forecasts(statistical_history(), sales(), APR)
    assert scored["consensus"].isna().all()
    fva = forecast_value_added(scored, items())
    assert fva["consensus_wape"].isna().all() and fva["statistical_wape"].notna().any()
