"""The accuracy benchmark's measures and data loading (the full run stays out of the suite)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from benchmarks.forecast_accuracy import competition_panel, scores, smape


def test_smape_follows_the_m3_convention() -> None:
    actual, forecast = np.array([100.0, 0.0, 50.0]), np.array([50.0, 0.0, 0.0])
    assert smape(actual, forecast) == pytest.approx([200 * 50 / 150, 0.0, 200.0])


def test_mase_scales_by_the_in_sample_seasonal_naive() -> None:
    months = pd.date_range("2020-01-01", periods=24, freq="MS")
    train = pd.DataFrame(
        {"unique_id": "a", "ds": months, "y": np.r_[np.zeros(12), np.full(12, 4.0)]}
    )
    test = pd.DataFrame(
        {"unique_id": ["a", "a"], "ds": months[:2] + pd.DateOffset(years=2), "y": [10.0, 10.0]}
    )
    smape_value, mase_value = scores(train, test, pd.Series([8.0, 12.0]))
    assert mase_value == pytest.approx(2.0 / 4.0)  # MAE 2 over the seasonal naive's MAE 4
    assert smape_value == pytest.approx((200 * 2 / 18 + 200 * 2 / 22) / 2)


def test_competition_panel_splits_training_and_test_parts() -> None:
    panel = competition_panel("m1", limit=3)
    assert panel.horizon == 18
    assert panel.train["unique_id"].nunique() == panel.test["unique_id"].nunique() == 3
    assert (panel.test.groupby("unique_id").size() == 18).all()
    assert panel.train["ds"].max() < panel.test["ds"].min()
