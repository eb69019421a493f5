"""Forecast engine, demand-level forecast and forecast accuracy, on generated series with real
statsforecast fits. The engine runs once on a mix of series (module fixture) to stay fast."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sop_pipeline.core.demand.accuracy import bias, forecast_accuracy, wape
from sop_pipeline.core.demand.forecast import forecast_demand
from sop_pipeline.core.demand.forecasting.candidates import ENSEMBLE_MODEL, INTERMITTENT_ALIASES
from sop_pipeline.core.demand.forecasting.engine import forecast_series
from sop_pipeline_tests import factories

HORIZON = 12
START = pd.Timestamp("2021-01-01")
REGULAR = {ENSEMBLE_MODEL}


def seasonal_values(months: int, rng: np.random.Generator) -> np.ndarray:
    t = np.arange(months)
    return 100 * (1 + 0.5 * np.sin(2 * np.pi * t / 12)) + rng.normal(0, 4, months)


def series(uid: str, values: np.ndarray, start: pd.Timestamp = START) -> pd.DataFrame:
    ds = pd.date_range(start, periods=len(values), freq="MS")
    return pd.DataFrame({"unique_id": uid, "ds": ds, "y": np.asarray(values, dtype=float)})


@pytest.fixture(scope="module")
def seasonal_full() -> np.ndarray:
    return seasonal_values(48, np.random.default_rng(1))


@pytest.fixture(scope="module")
def forecasts(seasonal_full: np.ndarray) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    t = np.arange(36)
    intermittent = (rng.random(36) < 0.25) * rng.poisson(8, 36)
    intermittent[[3, 20]] = 5  # at least a few demands, still ADI >= 1.32
    history = pd.concat(
        [
            series("seasonal", seasonal_full[:36]),
            series("seasonal_copy", seasonal_full[:36]),  # another level's same series
            series("trend", 50 + 6 * t + rng.normal(0, 2, 36)),
            series("intermittent", intermittent),
            series("short", [4, 6, 5, 7, 9, 8, 10, 12, 11, 12], pd.Timestamp("2023-03-01")),
            series("constant", np.full(36, 7.0)),
            series("zero", np.zeros(30)),
            series("stopped", [5.0, 6.0, 7.0], pd.Timestamp("2023-05-01")),  # no rows since
            series("early", early_values(), EARLY_START),  # ends a year before the others
        ],
        ignore_index=True,
    )
    return forecast_series(history, horizon=HORIZON, season_length=12)


EARLY_START = pd.Timestamp("2020-01-01")  # 36 months: ends 2022-12, the others 2023-12


def early_values() -> np.ndarray:
    return 100 + np.random.default_rng(11).normal(0, 3, 36)


def model_of(forecasts: pd.DataFrame, uid: str) -> str:
    return str(forecasts.loc[forecasts["unique_id"] == uid, "model"].iloc[0])


def test_one_row_per_series_and_future_month(forecasts: pd.DataFrame) -> None:
    assert len(forecasts) == 9 * HORIZON
    assert not forecasts.duplicated(["unique_id", "ds"]).any()
    first = {"zero": "2023-07-01", "stopped": "2023-08-01", "early": "2023-01-01"}
    for uid, rows in forecasts.groupby("unique_id"):
        start = pd.Timestamp(first.get(str(uid), "2024-01-01"))  # after its own last month
        assert list(rows["ds"]) == list(pd.date_range(start, periods=HORIZON, freq="MS"))
    assert forecasts.groupby("unique_id")["model"].nunique().eq(1).all()


def test_forecasts_and_bounds_non_negative_and_nested(forecasts: pd.DataFrame) -> None:
    values = forecasts[["forecast", "lo_80", "hi_80", "lo_95", "hi_95"]]
    assert values.notna().all().all()
    assert (values >= 0).all().all()
    assert (forecasts["lo_95"] <= forecasts["lo_80"]).all()
    assert (forecasts["lo_80"] <= forecasts["forecast"]).all()
    assert (forecasts["forecast"] <= forecasts["hi_80"]).all()
    assert (forecasts["hi_80"] <= forecasts["hi_95"]).all()


def test_seasonal_series_gets_the_ensemble_that_beats_the_mean(
    forecasts: pd.DataFrame, seasonal_full: np.ndarray
) -> None:
    assert model_of(forecasts, "seasonal") in REGULAR
    predicted = forecasts[forecasts["unique_id"] == "seasonal"]["forecast"].to_numpy()
    actual = seasonal_full[36:]
    flat_mean = np.abs(actual - seasonal_full[:36].mean()).mean()
    assert np.abs(actual - predicted).mean() < 0.5 * flat_mean


def test_a_series_repeated_under_another_id_gets_the_same_forecast(
    forecasts: pd.DataFrame,
) -> None:
    rows = {uid: forecasts[forecasts["unique_id"] == uid] for uid in ("seasonal", "seasonal_copy")}
    pd.testing.assert_frame_equal(
        rows["seasonal"].drop(columns="unique_id").reset_index(drop=True),
        rows["seasonal_copy"].drop(columns="unique_id").reset_index(drop=True),
    )


def test_trending_series_follows_its_trend(forecasts: pd.DataFrame) -> None:
    assert model_of(forecasts, "trend") in REGULAR
    predicted = forecasts[forecasts["unique_id"] == "trend"]["forecast"]
    assert predicted.iloc[0] > 50 + 6 * 33  # above the last observed months' level


def test_intermittent_series_is_routed_to_an_intermittent_model(forecasts: pd.DataFrame) -> None:
    assert model_of(forecasts, "intermittent") in INTERMITTENT_ALIASES
    rows = forecasts[forecasts["unique_id"] == "intermittent"]
    assert (rows["hi_95"] > rows["forecast"]).all()  # intervals from held-out errors


def test_short_series_gets_the_recent_mean(forecasts: pd.DataFrame) -> None:
    rows = forecasts[forecasts["unique_id"] == "short"]
    assert model_of(forecasts, "short") == "recent_mean"
    assert rows["forecast"].to_numpy() == pytest.approx(np.full(HORIZON, 62 / 6))


def test_a_series_ending_early_is_forecast_from_its_own_last_month(
    forecasts: pd.DataFrame,
) -> None:
    rows = forecasts[forecasts["unique_id"] == "early"]
    assert model_of(forecasts, "early") in REGULAR
    assert rows["forecast"].to_numpy() == pytest.approx(np.full(HORIZON, 100.0), rel=0.05)
    stopped = forecasts[forecasts["unique_id"] == "stopped"]
    assert stopped["forecast"].to_numpy() == pytest.approx(np.full(HORIZON, 6.0))


def test_panel_end_counts_the_months_after_a_series_stops_as_zero() -> None:
    history = pd.concat(
        [
            series("early", early_values(), EARLY_START),
            series("stopped", [5.0, 6.0, 7.0], pd.Timestamp("2023-05-01")),
            series("anchor", [1.0], pd.Timestamp("2023-12-01")),  # the panel's last month
        ],
        ignore_index=True,
    )
    forecasts = forecast_series(history, horizon=HORIZON, panel_end=True)
    assert (forecasts["ds"].min(), forecasts["ds"].max()) == (
        pd.Timestamp("2024-01-01"),
        pd.Timestamp("2024-12-01"),
    )
    stopped = forecasts[forecasts["unique_id"] == "stopped"]["forecast"].to_numpy()
    assert stopped == pytest.approx(np.full(HORIZON, 7 / 6))  # 7 and five zeros
    early = forecasts[forecasts["unique_id"] == "early"]["forecast"]
    assert early.max() < 10  # after twelve months of zeros


def test_constant_series_forecasts_its_constant(forecasts: pd.DataFrame) -> None:
    rows = forecasts[forecasts["unique_id"] == "constant"]
    assert model_of(forecasts, "constant") in REGULAR
    assert rows["forecast"].to_numpy() == pytest.approx(np.full(HORIZON, 7.0), abs=1e-3)


def test_all_zero_series_forecasts_zero(forecasts: pd.DataFrame) -> None:
    rows = forecasts[forecasts["unique_id"] == "zero"]
    assert model_of(forecasts, "zero") == "zero"
    assert (rows[["forecast", "lo_80", "hi_80", "lo_95", "hi_95"]] == 0).all().all()


# forecast_demand: family profile, phase-out, grain ---------------------------------------

CYCLE = pd.Timestamp("2024-01-01")


def demand_items() -> pd.DataFrame:
    return factories.items(
        ["A", "B", "C", "L"],
        family="F1",
        status=["active", "phase_out", "new", "new"],
        launch_date=[pd.NaT, pd.NaT, "2023-09-01", "2024-05-01"],
        end_date=[pd.NaT, "2024-03-31", pd.NaT, pd.NaT],
    )


def demand_sales() -> pd.DataFrame:
    """A (2 regions) and B: 36 months of a seasonal pattern; C: 4 months at 10 x the family
    index; X: a SKU unknown to the item master."""
    rng = np.random.default_rng(3)
    months = pd.date_range("2021-01-01", periods=36, freq="MS")
    pattern = 1 + 0.5 * np.sin(2 * np.pi * np.arange(36) / 12)
    rows = [
        (sku, region, m, float(round(level * p + rng.normal(0, 2))))
        for sku, region, level in (("A", "N", 100), ("A", "S", 60), ("B", "N", 80), ("X", "N", 50))
        for m, p in zip(months, pattern, strict=True)
    ]
    rows += [("C", "N", m, 10 * p) for m, p in zip(months[-4:], pattern[-4:], strict=True)]
    sales = pd.DataFrame(rows, columns=["sku", "region", "month", "quantity"])
    return sales.assign(revenue=sales["quantity"] * 10)


@pytest.fixture(scope="module")
def statistical() -> pd.DataFrame:
    return forecast_demand(demand_sales(), demand_items(), CYCLE, horizon=HORIZON)


def test_demand_forecast_grain_and_horizon(statistical: pd.DataFrame) -> None:
    assert not statistical.duplicated(["sku", "region", "month"]).any()
    series_keys = set(zip(statistical["sku"], statistical["region"], strict=True))
    assert series_keys == {("A", "N"), ("A", "S"), ("B", "N"), ("C", "N")}  # no X, no L
    months = pd.date_range(CYCLE, periods=HORIZON, freq="MS")
    for _, rows in statistical.groupby(["sku", "region"]):
        assert list(rows["month"]) == list(months)
    assert list(statistical.columns) == [
        "sku", "region", "month", "model", "forecast", "lo_80", "hi_80", "lo_95", "hi_95"
    ]  # fmt: skip


def test_short_series_takes_the_family_profile(statistical: pd.DataFrame) -> None:
    short = statistical[statistical["sku"] == "C"]
    assert set(short["model"]) == {"family_profile"}
    expected = 10 * (1 + 0.5 * np.sin(2 * np.pi * np.arange(36, 48) / 12))
    assert short["forecast"].to_numpy() == pytest.approx(expected, rel=0.08)


def test_phase_out_goes_to_zero_after_its_end_date(statistical: pd.DataFrame) -> None:
    ending = statistical[statistical["sku"] == "B"].set_index("month")
    assert (ending.loc[:"2024-03-01", "forecast"] > 0).all()
    after = ending.loc["2024-04-01":, ["forecast", "lo_80", "hi_80", "lo_95", "hi_95"]]
    assert len(after) == HORIZON - 3 and (after == 0).all().all()


# accuracy ------------------------------------------------------------------------------

JAN, FEB, MAR, APR = (pd.Timestamp(f"2025-{m:02d}-01") for m in (1, 2, 3, 4))


def test_accuracy_scores_lag_1_and_lag_3_for_the_month_just_closed() -> None:
    history = pd.DataFrame(
        [  # cycle, sku, region, month, forecast
            (JAN, "A", "N", MAR, 90.0),  # lag 3
            (FEB, "A", "N", MAR, 95.0),  # lag 2: not scored
            (MAR, "A", "N", MAR, 110.0),  # lag 1
            (MAR, "A", "N", APR, 120.0),  # another month
            (MAR, "B", "N", MAR, 20.0),  # forecast, no sale: actual 0
        ],
        columns=["cycle", "sku", "region", "month", "forecast"],
    )
    sales = pd.DataFrame(
        {
            "sku": ["A", "C", "A"],
            "region": ["N", "N", "N"],
            "month": [MAR, MAR, FEB],
            "quantity": [100.0, 7.0, 55.0],  # C: a sale without forecast, left out
            "revenue": [1000.0, 70.0, 550.0],
        }
    )
    accuracy = forecast_accuracy(history, sales, APR)
    rows = {(r.sku, r.lag): (r.forecast, r.actual, r.abs_error) for r in accuracy.itertuples()}
    assert rows == {
        ("A", 1): (110.0, 100.0, 10.0),
        ("B", 1): (20.0, 0.0, 20.0),
        ("A", 3): (90.0, 100.0, 10.0),
    }
    assert set(accuracy["month"]) == {MAR}
    assert wape(accuracy[accuracy["lag"] == 1]) == pytest.approx(0.3)
    assert bias(accuracy[accuracy["lag"] == 1]) == pytest.approx(0.3)
    assert bias(accuracy[accuracy["lag"] == 3]) == pytest.approx(-0.1)


def test_accuracy_is_empty_without_an_earlier_cycle() -> None:
    empty = pd.DataFrame(columns=["cycle", "sku", "region", "month", "forecast"])
    accuracy = forecast_accuracy(empty, demand_sales(), APR)
    assert accuracy.empty
    assert list(accuracy.columns) == [
        "sku", "region", "month", "lag", "forecast", "actual", "abs_error", "lo_80", "hi_80"
    ]  # fmt: skip


def test_wape_and_bias_on_a_tiny_example() -> None:
    frame = pd.DataFrame({"forecast": [15.0, 5.0], "actual": [10.0, 10.0]})
    frame["abs_error"] = (frame["actual"] - frame["forecast"]).abs()
    assert wape(frame) == pytest.approx(0.5)
    assert bias(frame) == pytest.approx(0.0)
    no_sales = frame.assign(actual=0.0)
    assert isinstance(wape(no_sales), float) and math.isnan(wape(no_sales))
    assert math.isnan(bias(frame.iloc[0:0]))
