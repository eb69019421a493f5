"""The engine on a Dask cluster (SOP_DASK_SCHEDULER) gives the local run's result: a real
two-worker LocalCluster in this process, real statsforecast through Fugue."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from distributed import LocalCluster

from sop_pipeline.core.demand.forecasting.distributed import SCHEDULER_VARIABLE
from sop_pipeline.core.demand.forecasting.engine import forecast_series

pytestmark = pytest.mark.integration  # starts a Dask cluster

HORIZON = 6


def generated_history() -> pd.DataFrame:
    """Seasonal, trending and intermittent series of 36 months, and a short one."""
    rng = np.random.default_rng(11)
    t = np.arange(36)
    values = {
        **{f"seasonal_{i}": 80 + 20 * i + 30 * np.sin(2 * np.pi * (t + i) / 12) for i in range(4)},
        "trend": 40 + 3 * t,
        "intermittent": (rng.random(36) < 0.3) * rng.poisson(6, 36),
        "short": np.full(36, np.nan),
    }
    values["intermittent"][[2, 17]] = 4.0
    values["short"][-8:] = [5, 6, 7, 6, 8, 9, 8, 10]
    frames = [
        pd.DataFrame({"unique_id": uid, "ds": pd.date_range("2022-01-01", periods=36, freq="MS"),
                      "y": np.asarray(y, float) + rng.normal(0, 1, 36) * (uid != "intermittent")})
        for uid, y in values.items()
    ]  # fmt: skip
    return pd.concat(frames, ignore_index=True).dropna(subset=["y"])


@pytest.fixture(scope="module")
def history() -> pd.DataFrame:
    return generated_history()


def test_dask_run_equals_local_run(history: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SCHEDULER_VARIABLE, raising=False)
    local = forecast_series(history, horizon=HORIZON)
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        idle = cluster.scheduler.transition_counter
        monkeypatch.setenv(SCHEDULER_VARIABLE, cluster.scheduler_address)
        remote = forecast_series(history, horizon=HORIZON)
        assert cluster.scheduler.transition_counter > idle  # the fits ran as cluster tasks
    assert set(local["model"]) >= {"ensemble", "recent_mean"}
    assert local["model"].isin({"CrostonSBA", "ADIDA", "IMAPA", "TSB"}).any()
    pd.testing.assert_series_equal(remote["model"], local["model"])
    pd.testing.assert_frame_equal(remote, local, rtol=1e-6, atol=1e-6)
