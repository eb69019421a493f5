"""The engine's classification, ensemble and selection rules on generated series whose answer is
known, with real statsforecast fits (one engine run per module)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from statsforecast import StatsForecast

from benchmarks.forecast_selection import candidates as selection_candidates
from sop_pipeline.core.demand.forecasting.candidates import (
    CHOSEN_COMBINATION,
    ENSEMBLE_MODEL,
    INTERMITTENT_ALIASES,
    ensemble_members,
)
from sop_pipeline.core.demand.forecasting.classify import demand_classes, routes
from sop_pipeline.core.demand.forecasting.engine import forecast_series
from sop_pipeline.core.demand.forecasting.ensemble import combine_members, ensemble_forecasts
from sop_pipeline.core.demand.forecasting.selection import choose_models

HORIZON = 12
Z_80, Z_95 = 1.2815515655446004, 1.959963984540054  # standard normal quantiles 0.90, 0.975
START = pd.Timestamp("2021-01-01")
PEAK_MONTH = 11  # November
GAPS = [5, 6, 18]


def series(uid: str, values: np.ndarray | list[float], start: pd.Timestamp = START) -> pd.DataFrame:
    ds = pd.date_range(start, periods=len(values), freq="MS")
    return pd.DataFrame({"unique_id": uid, "ds": ds, "y": np.asarray(values, dtype=float)})


def peaked(months: int, rng: np.random.Generator) -> np.ndarray:
    """Demand of 100 with a November peak of 260, small noise."""
    calendar = pd.date_range(START, periods=months, freq="MS").month.to_numpy()
    return 100 + 160 * (calendar == PEAK_MONTH) + rng.normal(0, 3, months)


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    lumpy = np.zeros(36)
    lumpy[[1, 7, 12, 20, 27, 33]] = [2, 40, 5, 90, 1, 30]  # sparse and very uneven sizes
    declining = 300 - 9 * np.arange(36) + rng.normal(0, 2, 36)  # would cross zero in 2 years
    gappy = series("gappy", peaked(36, np.random.default_rng(9)))
    return pd.concat(
        [
            series("peaked", peaked(36, rng)),
            series("lumpy", lumpy),
            series("declining", declining),
            gappy.drop(index=GAPS),  # three months without a row
            gappy.assign(unique_id="zero_filled", y=gappy["y"].where(~gappy.index.isin(GAPS), 0)),
        ],
        ignore_index=True,
    )  # fmt: skip


@pytest.fixture(scope="module")
def forecasts(panel: pd.DataFrame) -> pd.DataFrame:
    return forecast_series(panel, horizon=HORIZON, season_length=12)


def rows_of(forecasts: pd.DataFrame, uid: str) -> pd.DataFrame:
    return forecasts[forecasts["unique_id"] == uid].reset_index(drop=True)


def test_demand_classes_follow_syntetos_boylan() -> None:
    frame = pd.concat(
        [
            series("smooth", [10, 11, 9, 10, 10, 12, 9, 10]),
            series("erratic", [1, 30, 2, 25, 1, 40, 3, 20]),
            series("intermittent", [0, 0, 10, 0, 0, 12, 0, 11]),
            series("lumpy", [0, 0, 1, 0, 0, 40, 0, 3]),
            series("none", [0, 0, 0, 0]),
        ]
    )
    classes = demand_classes(frame)
    assert classes["demand_class"].to_dict() == {
        "erratic": "erratic", "intermittent": "intermittent", "lumpy": "lumpy",
        "none": "none", "smooth": "smooth",
    }  # fmt: skip
    assert classes.loc["intermittent", "adi"] == pytest.approx(8 / 3)
    sizes = np.array([10.0, 12.0, 11.0])
    assert classes.loc["intermittent", "cv2"] == pytest.approx((sizes.std() / sizes.mean()) ** 2)
    route = routes(frame, min_points=6)
    assert route.to_dict() == {
        "erratic": "regular", "intermittent": "intermittent", "lumpy": "intermittent",
        "none": "zero", "smooth": "regular",
    }  # fmt: skip
    assert routes(frame, min_points=9)["smooth"] == "short"


def test_seasonal_peak_stays_the_peak(forecasts: pd.DataFrame) -> None:
    rows = rows_of(forecasts, "peaked")
    assert set(rows["model"]) == {ENSEMBLE_MODEL}
    peak = rows.loc[rows["forecast"].idxmax(), "ds"]
    assert peak.month == PEAK_MONTH
    others = rows[rows["ds"].dt.month != PEAK_MONTH]["forecast"]
    assert others.to_numpy() == pytest.approx(np.full(11, 100.0), rel=0.15)
    assert rows["forecast"].max() == pytest.approx(260.0, rel=0.15)


def test_lumpy_series_goes_to_an_intermittent_method(forecasts: pd.DataFrame) -> None:
    rows = rows_of(forecasts, "lumpy")
    assert rows["model"].iloc[0] in INTERMITTENT_ALIASES
    assert 0 < rows["forecast"].iloc[0] < 40  # a rate per month, below the big orders


def test_declining_series_never_goes_negative(forecasts: pd.DataFrame) -> None:
    rows = rows_of(forecasts, "declining")
    values = rows[["forecast", "lo_80", "hi_80", "lo_95", "hi_95"]]
    assert (values >= 0).all().all()
    assert rows["forecast"].iloc[0] < 300 - 9 * 35 + 30  # it follows the decline
    assert (rows["lo_95"] <= rows["lo_80"]).all() and (rows["lo_80"] <= rows["forecast"]).all()
    assert (rows["forecast"] <= rows["hi_80"]).all() and (rows["hi_80"] <= rows["hi_95"]).all()


def test_missing_months_inside_a_series_are_zero_sales(forecasts: pd.DataFrame) -> None:
    gappy, filled = rows_of(forecasts, "gappy"), rows_of(forecasts, "zero_filled")
    pd.testing.assert_frame_equal(gappy.drop(columns="unique_id"), filled.drop(columns="unique_id"))


def test_ensemble_is_the_mean_of_its_members_fitted_alone(panel: pd.DataFrame) -> None:
    history = panel[panel["unique_id"].isin(["peaked", "declining"])]
    combined = ensemble_forecasts(history, HORIZON, season_length=12, n_jobs=1)
    alone = {
        m.alias: StatsForecast(models=[m], freq="MS").forecast(df=history, h=HORIZON, level=[80])
        for m in ensemble_members(12)
    }
    # each member clipped at zero, then averaged ("declining" runs below zero in some members)
    points = np.array([f[alias].to_numpy().clip(min=0) for alias, f in alone.items()])
    point = points.mean(axis=0)
    widths = np.array([(alone[a][f"{a}-hi-80"] - alone[a][a]).to_numpy() for a in ("ETS", "Theta")])
    spread = ((points - point) ** 2).mean(axis=0)  # the members' disagreement
    width = np.sqrt((widths**2).mean(axis=0) + Z_80**2 * spread)
    assert combined["forecast"].to_numpy() == pytest.approx(point, rel=1e-9)
    assert combined["hi_80"].to_numpy() == pytest.approx(point + width, rel=1e-9)


def test_the_engine_uses_the_combination_cross_validation_chose() -> None:
    """`CHOSEN_COMBINATION` is what `forecast_accuracy --select` printed; the engine's members
    are those candidates (same model class and form), combined by their mean."""
    how, names = CHOSEN_COMBINATION
    candidates = {m.alias: m for m in selection_candidates()}

    def spec(model: object) -> tuple[type, object, object]:
        return type(model), getattr(model, "model", None), getattr(model, "season_length", None)

    assert how == "mean"  # combine_members averages; a median would need its own code
    assert [spec(candidates[name]) for name in names] == [spec(m) for m in ensemble_members(12)]
    assert ("ETS ZZA", "DOTheta", "AutoCES") == names  # the recorded choice (docs/forecasting.md)


def test_combine_members_averages_forecasts_and_interval_widths() -> None:
    raw = pd.DataFrame({"unique_id": ["a"], "ds": [START]})
    for alias, value, width in (("A", 10.0, 1.0), ("B", 50.0, 3.0), ("C", 30.0, 100.0)):
        raw[alias] = value
        for level, scale in ((80, 1.0), (95, 2.0)):
            raw[f"{alias}-lo-{level}"] = value - scale * width
            raw[f"{alias}-hi-{level}"] = value + scale * width
    out = combine_members(raw, ["A", "B", "C"], width_aliases=["A", "B"]).iloc[0]
    assert out["forecast"] == pytest.approx(30.0)
    # the mixture: members' mean squared half-width (C's left out) + z² x the spread of 10, 50
    # and 30 around 30 (800 / 3)
    half_80 = math.sqrt((1**2 + 3**2) / 2 + Z_80**2 * 800 / 3)
    half_95 = math.sqrt((2**2 + 6**2) / 2 + Z_95**2 * 800 / 3)
    assert (out["lo_80"], out["hi_80"]) == pytest.approx((30 - half_80, 30 + half_80))
    assert (out["lo_95"], out["hi_95"]) == pytest.approx((30 - half_95, 30 + half_95))


def test_members_that_agree_keep_their_mean_half_width() -> None:
    """No disagreement: the pool's half-width is the root mean square of the members' (3 and 4:
    sqrt(12.5))."""
    raw = pd.DataFrame({"unique_id": ["a"], "ds": [START]})
    for alias, width in (("A", 3.0), ("B", 4.0)):
        raw[alias] = 100.0
        for level in (80, 95):
            raw[f"{alias}-lo-{level}"], raw[f"{alias}-hi-{level}"] = 100 - width, 100 + width
    out = combine_members(raw, ["A", "B"], width_aliases=["A", "B"]).iloc[0]
    assert out["hi_80"] - out["forecast"] == pytest.approx(math.sqrt(12.5))


def test_a_member_below_zero_counts_as_zero_in_the_mean() -> None:
    """A trough: one member forecasts -60, the others 20 and 40. The mean of the clipped
    members is 20 (the mean clipped afterwards would be 0); the spread is of the clipped ones."""
    raw = pd.DataFrame({"unique_id": ["a"], "ds": [START]})
    for alias, value in (("A", -60.0), ("B", 20.0), ("C", 40.0)):
        raw[alias] = value
        for level in (80, 95):
            raw[f"{alias}-lo-{level}"], raw[f"{alias}-hi-{level}"] = value - 5.0, value + 5.0
    out = combine_members(raw, ["A", "B", "C"], width_aliases=["A", "B"]).iloc[0]
    assert out["forecast"] == pytest.approx(20.0)
    half = math.sqrt(25.0 + Z_80**2 * 800 / 3)  # clipped 0, 20, 40 around 20
    assert (out["lo_80"], out["hi_80"]) == pytest.approx((20 - half, 20 + half))


def test_intermittent_selection_picks_the_lowest_squared_error() -> None:
    errors = pd.DataFrame(
        {
            "unique_id": ["s"] * 6,
            "model": ["CrostonSBA", "CrostonSBA", "ADIDA", "ADIDA", "TSB", "TSB"],
            "error": [3.0, -3.0, 0.0, 5.0, 1.0, np.nan],  # MSE 9, 12.5; TSB failed a window
        }
    )
    assert choose_models(errors, ["CrostonSBA", "ADIDA", "TSB"])["s"] == "CrostonSBA"
