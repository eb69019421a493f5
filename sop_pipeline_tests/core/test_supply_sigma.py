"""Safety stock on realised lag-1 forecast errors (core/supply/sigma.py), wired through the
supply review's inputs: known errors -> known sigma -> known safety stock; the model's
intervals before a SKU has 6 scored months; interval coverage of the accuracy rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from sop_pipeline.core.demand.accuracy import interval_coverage, scored_forecasts
from sop_pipeline.core.demand.forecasting.fallback import Z
from sop_pipeline.core.supply.inputs import SupplyReviewInputs, review_supply
from sop_pipeline.core.supply.sigma import realised_sigma
from sop_pipeline_tests.factories import SUPPLY_CYCLE, items, months

Z80 = Z[80]  # the z the model's intervals were drawn with


def scored_months(sku: str, region: str, errors: list[float]) -> pd.DataFrame:
    """Lag-1 accuracy rows of the months before SUPPLY_CYCLE, newest last: forecast 100,
    actual 100 + error (and lag-3 rows with huge errors, which must be ignored)."""
    month = months(len(errors), SUPPLY_CYCLE - pd.DateOffset(months=len(errors)))
    lag1 = pd.DataFrame(
        {"sku": sku, "region": region, "month": month, "lag": 1, "forecast": 100.0}
    ).assign(actual=100.0 + np.asarray(errors), cycle=month + pd.DateOffset(months=1))
    return pd.concat([lag1, lag1.assign(lag=3, actual=1000.0)], ignore_index=True)


def review_inputs(accuracy: pd.DataFrame) -> SupplyReviewInputs:
    """A and B, 100 a month for 3 months in region N, model interval half-width 10 x z(0.9)
    (model sigma 10), lead time A 0, B 3; no capacity."""
    horizon = months(3)
    demand = pd.DataFrame(
        [(s, "N", m, 100.0) for s in ("A", "B") for m in horizon],
        columns=["sku", "region", "month", "demand"],
    )
    forecast = demand.rename(columns={"demand": "forecast"}).assign(
        lo_80=100.0 - 10 * Z80, hi_80=100.0 + 10 * Z80
    )
    return SupplyReviewInputs(
        demand_plan=demand,
        statistical_forecast=forecast,
        items=items(["A", "B"], lead_time_months=[0, 3]),
        inventory=pd.DataFrame({"sku": ["A", "B"], "site": "main", "on_hand": [0.0, 0.0]}),
        forecast_accuracy=accuracy,
    )


def test_sigma_is_the_rms_of_the_regions_summed_errors() -> None:
    """A: errors N [3, -3] x 3 and S [1] x 6 sum to [4, -2] x 3 a month: RMS sqrt((16+4)/2)."""
    accuracy = pd.concat(
        [scored_months("A", "N", [3, -3] * 3), scored_months("A", "S", [1] * 6)],
        ignore_index=True,
    )
    sigma = realised_sigma(accuracy)
    assert list(sigma["sku"]) == ["A"]
    assert sigma["sigma"].iloc[0] == pytest.approx(np.sqrt(10.0))
    assert sigma["months"].iloc[0] == 6


def test_twelve_months_are_used_and_five_are_not_enough() -> None:
    """A has 14 months (the oldest two, errors 100, fall outside the 12-month window); B 5."""
    accuracy = pd.concat(
        [scored_months("A", "N", [100, 100] + [5] * 12), scored_months("B", "N", [2] * 5)],
        ignore_index=True,
    )
    sigma = realised_sigma(accuracy).set_index("sku")
    assert sigma.index.tolist() == ["A"]
    assert sigma.loc["A", "sigma"] == pytest.approx(5.0)
    assert sigma.loc["A", "months"] == 12


def test_safety_stock_uses_realised_sigma_after_six_months_and_the_model_before() -> None:
    """A (6 months of errors 4 and -4, sigma 4, lead time 0): z(0.95) x 4 x sqrt(0 + 1).
    B (5 months, lead time 3): the model's sigma 10, z(0.95) x 10 x sqrt(3 + 1)."""
    accuracy = pd.concat(
        [scored_months("A", "N", [4, -4] * 3), scored_months("B", "N", [50] * 5)],
        ignore_index=True,
    )
    plan = review_supply(review_inputs(accuracy), SUPPLY_CYCLE, 3, 0).supply_plan
    targets = plan.groupby("sku")["safety_stock"].unique()
    np.testing.assert_allclose(targets["A"], [norm.ppf(0.95) * 4.0])
    np.testing.assert_allclose(targets["B"], [norm.ppf(0.95) * 10.0 * 2.0])


def test_safety_stock_covers_the_months_the_frozen_zone_commits() -> None:
    """A cycle with a 3-month frozen zone fixes starts 2 months beyond the cycle month, so the
    stock must absorb 2 more months of error: A (lead time 0) z x 10 x sqrt(0 + 1 + 2), B (lead
    time 3) z x 10 x sqrt(3 + 1 + 2); a 1-month zone commits only the cycle month."""
    empty = scored_months("A", "N", [])
    for frozen, extra in ((3, 2.0), (1, 0.0)):
        plan = review_supply(review_inputs(empty), SUPPLY_CYCLE, 3, frozen).supply_plan
        np.testing.assert_allclose(
            plan.groupby("sku")["safety_stock"].first(),
            norm.ppf(0.95) * 10.0 * np.sqrt(np.array([0.0, 3.0]) + 1.0 + extra),
        )


def test_without_scored_months_the_model_sigma_is_kept() -> None:
    empty = scored_months("A", "N", [])
    plan = review_supply(review_inputs(empty), SUPPLY_CYCLE, 3, 0).supply_plan
    np.testing.assert_allclose(
        plan.groupby("sku")["safety_stock"].first(), norm.ppf(0.95) * 10.0 * np.array([1.0, 2.0])
    )


def test_interval_coverage_counts_actuals_inside_the_band() -> None:
    """Lag-1 forecasts of February (made by the February cycle) with bands: A-N [90, 110]
    holds 95, A-S [10, 20] does not hold 25, B-N [0, 5] holds its bound 5, B-S has no band:
    2 of 3."""
    feb = pd.Timestamp("2026-02-01")
    history = pd.DataFrame(
        {
            "cycle": feb,
            "sku": ["A", "A", "B", "B"],
            "region": ["N", "S", "N", "S"],
            "month": feb,
            "forecast": [100.0, 15.0, 3.0, 1.0],
            "lo_80": [90.0, 10.0, 0.0, np.nan],
            "hi_80": [110.0, 20.0, 5.0, np.nan],
        }
    )
    actuals = pd.DataFrame(
        {"sku": ["A", "A", "B", "B"], "region": ["N", "S", "N", "S"], "month": feb}
    ).assign(quantity=[95.0, 25.0, 5.0, 1.0])
    scored = scored_forecasts(history, actuals, pd.Timestamp("2026-03-01"))
    np.testing.assert_allclose(scored["lo_80"], [90.0, 10.0, 0.0, np.nan])
    assert interval_coverage(scored) == pytest.approx(2 / 3)
