"""The selection benchmark's engine row (benchmarks/forecast_selection.py): the engine forecasts
each cross-validation window from the months before its cutoff only, aligned with the models'
window forecasts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsforecast import StatsForecast
from statsforecast.models import SeasonalNaive

from benchmarks.forecast_accuracy import SEASON, Panel
from benchmarks.forecast_selection import STEP, band_coverage, engine_window_forecasts

HORIZON = 6


def level_shift_panel() -> Panel:
    """Two seasonal series of 72 months at level 100 that jump to 1,000 in their last 6 months
    (the last window's horizon): a forecast from before the jump cannot know it."""
    months = pd.date_range("2000-01-01", periods=72, freq="MS")
    season = 10 * np.sin(2 * np.pi * months.month.to_numpy() / SEASON)
    frames = []
    for uid, scale in (("a", 1.0), ("b", 2.0)):
        y = scale * (100 + season)
        y[-HORIZON:] *= 10
        frames.append(pd.DataFrame({"unique_id": uid, "ds": months, "y": y}))
    train = pd.concat(frames, ignore_index=True)
    return Panel("toy", train, train.iloc[:0], HORIZON)


def test_the_engine_forecasts_each_window_from_before_its_cutoff() -> None:
    panel = level_shift_panel()
    naive = StatsForecast(models=[SeasonalNaive(season_length=SEASON)], freq="MS", n_jobs=1)
    windows = naive.cross_validation(df=panel.train, h=HORIZON, n_windows=2, step_size=STEP)
    engine = engine_window_forecasts(panel, windows, cache=None)
    forecast = engine["forecast"]
    assert len(forecast) == len(windows) and engine.notna().all().all()
    last = windows["cutoff"] == windows["cutoff"].max()
    # the jump is in the last window's months only: its forecasts stay near the old level
    assert forecast[last].max() < 300
    assert windows.loc[last, "y"].min() > 800
    # both windows are seasonal forecasts of each series' own level (b is twice a)
    by_series = forecast.groupby(windows["unique_id"].to_numpy()).mean()
    assert by_series["b"] / by_series["a"] == pytest.approx(2.0, rel=0.05)


def test_band_coverage_counts_actuals_inside_the_bands() -> None:
    """Two series x one window of two months; actuals inside the 80 % band in 1 of 4 points,
    inside the 95 % band in 3, one of them the first month of each series."""
    windows = pd.DataFrame(
        {
            "unique_id": ["a", "a", "b", "b"],
            "cutoff": pd.Timestamp("2000-01-01"),
            "ds": pd.to_datetime(["2000-02-01", "2000-03-01"] * 2),
            "y": [10.0, 30.0, 10.0, 20.0],
        }
    )
    engine = pd.DataFrame(
        {
            "lo_80": [9.0, 5, 0, 0],
            "hi_80": [11.0, 6, 1, 1],
            "lo_95": [8.0, 5, 9, 0],
            "hi_95": [12.0, 6, 11, 21],
        }
    )
    coverage = band_coverage(windows, engine)
    assert coverage["80 % band, 1 month ahead"] == 0.5
    assert coverage["80 % band, all months"] == 0.25
    assert coverage["95 % band, 1 month ahead"] == 1.0
    assert coverage["95 % band, all months"] == 0.75
