"""`sop backfill` recorded as one Dagster backfill, and runs of a dead `sop` process marked
failed: the records in a real (ephemeral) Dagster instance, no cycle run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import tomllib
import yaml
from dagster import DagsterInstance, DagsterRunStatus
from dagster._core.execution.backfill import BulkActionStatus
from dagster._core.storage.tags import BACKFILL_ID_TAG

from sop_pipeline.backfill import (
    CODE_LOCATION,
    HOST_TAG,
    PID_TAG,
    add_cycle_backfill,
    cycle_backfill,
    launcher_tags,
)
from sop_pipeline.stale_runs import fail_orphaned_runs

PROJECT_ROOT = Path(__file__).resolve().parents[1]
KEYS = ["2026-09-01", "2026-10-01", "2026-11-01"]


def test_the_code_location_name_is_the_one_the_workspace_and_pyproject_give() -> None:
    workspace = yaml.safe_load((PROJECT_ROOT / "workspace.yaml").read_text())
    pyproject = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())
    assert workspace["load_from"][0]["python_module"]["location_name"] == CODE_LOCATION
    assert pyproject["tool"]["dagster"]["code_location_name"] == CODE_LOCATION


def test_several_cycles_are_one_job_backfill_that_no_daemon_would_launch_runs_for() -> None:
    instance = DagsterInstance.ephemeral()
    with cycle_backfill(instance, "sop_cycle", KEYS, {"sop/warehouse": "duckdb:///w"}) as tags:
        backfill = instance.get_backfill(tags[BACKFILL_ID_TAG])
        assert backfill is not None and backfill.status is BulkActionStatus.REQUESTED
    assert backfill.job_name == "sop_cycle" and backfill.partition_names == KEYS
    assert backfill.last_submitted_partition_name == KEYS[-1]  # the daemon's checkpoint
    assert backfill.partition_set_origin is not None
    assert backfill.partition_set_origin.repository_origin.code_location_origin.location_name == (
        CODE_LOCATION
    )
    assert backfill.tags["sop/warehouse"] == "duckdb:///w" and PID_TAG in backfill.tags
    done = instance.get_backfill(backfill.backfill_id)
    assert done is not None and done.status is BulkActionStatus.COMPLETED_SUCCESS
    assert done.backfill_end_timestamp is not None


def test_a_failed_cycle_fails_the_backfill_with_its_reason_and_one_cycle_is_no_backfill() -> None:
    instance = DagsterInstance.ephemeral()
    with pytest.raises(RuntimeError):
        with cycle_backfill(instance, "sop_cycle", KEYS, {}) as tags:
            raise RuntimeError("cycle 2026-10 failed: forecast: no sales")
    failed = instance.get_backfill(tags[BACKFILL_ID_TAG])
    assert failed is not None and failed.status is BulkActionStatus.COMPLETED_FAILED
    assert failed.error is not None and failed.error.message.startswith("cycle 2026-10 failed")
    with cycle_backfill(instance, "sop_cycle", KEYS[:1], {}) as single:
        assert BACKFILL_ID_TAG not in single and single[PID_TAG]
    assert len(instance.get_backfills()) == 1


def _dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(done.stdout)


def test_runs_and_backfills_of_a_dead_sop_process_are_marked_failed_live_ones_kept(
    tmp_path: Path,
) -> None:
    instance = DagsterInstance.ephemeral()
    dead = {**launcher_tags(), PID_TAG: str(_dead_pid())}
    orphan = instance.create_run_for_job(_job(), tags=dead, status=DagsterRunStatus.STARTED)
    alive = instance.create_run_for_job(
        _job(), tags=launcher_tags(), status=DagsterRunStatus.STARTED
    )
    other_host = {**dead, HOST_TAG: "another-machine"}
    remote = instance.create_run_for_job(_job(), tags=other_host, status=DagsterRunStatus.STARTED)
    backfill_id = add_cycle_backfill(instance, "sop_cycle", KEYS, dead).backfill_id
    marked = fail_orphaned_runs(instance)
    assert len(marked) == 2 and "is gone" in marked[0]
    statuses = {
        run_id: instance.get_run_by_id(run_id).status
        for run_id in (orphan.run_id, alive.run_id, remote.run_id)  # type: ignore[union-attr]
    }
    assert statuses == {
        orphan.run_id: DagsterRunStatus.FAILURE,
        alive.run_id: DagsterRunStatus.STARTED,
        remote.run_id: DagsterRunStatus.STARTED,
    }
    failed = instance.get_backfill(backfill_id)
    assert failed is not None and failed.status is BulkActionStatus.FAILED
    assert fail_orphaned_runs(instance) == []  # nothing left to mark


def _job():  # type: ignore[no-untyped-def]
    from dagster import job, op

    @op
    def noop() -> None:
        pass

    @job
    def stand_in() -> None:
        noop()

    return stand_in
