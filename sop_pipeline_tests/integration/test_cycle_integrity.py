"""Cycle integrity through the in-process runner that `sop run/backfill/demo` use: a second run
of a cycle and an invalid schema name fail at once, before any step runs."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from dagster import DagsterInstance, JobDefinition

from sop_pipeline.io.cycle_lock import cycle_lock
from sop_pipeline.io.pending_files import pending_reports
from sop_pipeline.io.reports import CYCLE_FILES
from sop_pipeline.io.warehouse import Warehouse
from sop_pipeline.runner import (
    CycleFailed,
    CycleOptions,
    cycle_job,
    failure_reason,
    job_warehouse,
    run_cycle,
)
from sop_pipeline_tests.cycles import materialize_cycle

CYCLE = pd.Timestamp("2026-11-01")
BACKENDS = ["duckdb", "postgresql"]

# every case starts the cycle job (Dagster, and dbt for the publish case)
pytestmark = pytest.mark.integration


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "duckdb":
        return f"duckdb:///{tmp_path / 'sop.duckdb'}"
    return str(request.getfixturevalue("postgres_url"))


def _job(url: str, tmp_path: Path) -> JobDefinition:
    return cycle_job(CycleOptions(exports=tmp_path / "exports", warehouse_url=url))


def test_the_runner_locks_the_warehouse_its_job_writes(url: str, tmp_path: Path) -> None:
    warehouse = job_warehouse(_job(url, tmp_path))
    assert (warehouse.url, warehouse.schema) == (url, "sop")


def test_a_second_run_of_a_cycle_fails_at_once_naming_the_running_one(
    url: str, tmp_path: Path
) -> None:
    job = _job(url, tmp_path)
    with cycle_lock(Warehouse(url), CYCLE, "run-in-progress"):
        started = time.perf_counter()
        with pytest.raises(CycleFailed) as raised:
            run_cycle(CYCLE, job, DagsterInstance.ephemeral())
    assert time.perf_counter() - started < 10
    message = str(raised.value)
    assert "run-in-progress" in message and "already running" in message and "\n" not in message
    assert not Warehouse(url).has_table("items")  # no step ran


def test_an_invalid_sop_schema_fails_the_run_at_once_naming_the_variable(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOP_SCHEMA", 'sop"; COMMIT; DROP TABLE public.victim; --')
    with pytest.raises(CycleFailed, match=r"^SOP_SCHEMA: schema .* is not a valid name"):
        run_cycle(CYCLE, _job(url, tmp_path), DagsterInstance.ephemeral())


def _poison_mps(url: str, cycle: pd.Timestamp) -> None:
    """A duplicate MPS row: dbt's unique test on stg_sop__mps fails on it."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            'INSERT INTO "sop"."sop"."mps" SELECT * FROM "sop"."sop"."mps" LIMIT 1'
        )
    engine.dispose()


def test_the_files_are_published_only_for_a_complete_cycle(
    demo_exports: Path, tmp_path: Path
) -> None:
    url, reports, cycle = f"duckdb:///{tmp_path / 'sop.duckdb'}", tmp_path / "reports", "2026-10"
    assert materialize_cycle(cycle, url, demo_exports, reports).success
    published = [reports / cycle / name for name in CYCLE_FILES]
    assert all(path.exists() for path in published)
    assert not any((pending_reports(reports) / cycle).iterdir())

    waiting = pending_reports(reports) / cycle / "run-of-the-new-version"
    waiting.mkdir()
    for path in published:  # the files of a new version of the cycle, made but not published
        path.rename(waiting / path.name)
    _poison_mps(url, pd.Timestamp(f"{cycle}-01"))
    result = materialize_cycle(cycle, url, demo_exports, reports, "kind:dbt or key:publish")
    assert not result.success
    failed = {event.step_key for event in result.get_step_failure_events()}
    assert "sop_dbt_views" in failed  # dbt's unique test on stg_sop__mps
    assert "publish" not in {event.step_key for event in result.get_step_success_events()}
    assert not any(path.exists() for path in published)
    assert all((waiting / name).exists() for name in CYCLE_FILES)


def test_a_run_launched_outside_sop_takes_the_cycle_lock_itself(
    url: str, demo_exports: Path, tmp_path: Path
) -> None:
    # a UI, schedule or backfill run: the warehouse resource takes the lock for the run
    with cycle_lock(Warehouse(url), CYCLE, "run-in-progress"):
        result = materialize_cycle("2026-11", url, demo_exports, tmp_path / "reports")
    assert not result.success
    reason = failure_reason(result)
    assert "already running" in reason and "run-in-progress" in reason, reason
    assert not Warehouse(url).has_table("items")  # no step ran
