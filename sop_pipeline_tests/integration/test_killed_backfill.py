"""A `sop backfill` killed hard (kill -9 of its process group while a run is STARTED): Dagster's
own run monitoring, as the shipped dagster.yaml configures it, cannot tell (the default launcher
reports no run-worker health and the run has no worker: it ran inside `sop`), so the next `sop`
command marks the run and the backfill failed, naming the dead process."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from dagster import DagsterInstance, DagsterRunStatus, RunsFilter
from dagster._core.execution.backfill import BulkActionStatus
from dagster._core.storage.dagster_run import DagsterRun
from dagster._core.workspace.context import WorkspaceProcessContext
from dagster._core.workspace.load_target import InProcessWorkspaceLoadTarget
from dagster._daemon.monitoring.run_monitoring import execute_run_monitoring_iteration

from sop_pipeline.backfill import PID_TAG
from sop_pipeline.definitions import PROJECT_ROOT
from sop_pipeline.stale_runs import fail_orphaned_runs

pytestmark = pytest.mark.integration


def _started_run(home: Path, process: subprocess.Popen[bytes], timeout: float = 300) -> DagsterRun:
    """The first run of the `sop` process once it is STARTED."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "sop stopped before its first run started"
        if (home / "history").exists():
            with DagsterInstance.from_config(str(home)) as instance:
                runs = instance.get_runs(RunsFilter(statuses=[DagsterRunStatus.STARTED]))
            if runs:
                return runs[0]
        time.sleep(0.5)
    raise AssertionError(f"no run STARTED within {timeout} s")


def test_a_killed_sop_backfill_is_marked_failed_by_the_next_sop_command(
    demo_exports: Path, tmp_path: Path
) -> None:
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text((PROJECT_ROOT / "dagster.yaml").read_text())
    # create the instance's SQLite storage before `sop` starts: this test polls it while `sop`
    # opens it, and two processes creating it at once stamp its schema version twice
    DagsterInstance.from_config(str(home)).dispose()
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")])
        ),
    }
    command = [sys.executable, "-m", "sop_pipeline.cli", "backfill", "--exports", str(demo_exports)]
    command += ["--from", "2026-10", "--to", "2026-11", "--horizon", "12"]
    command += ["--warehouse", f"duckdb:///{tmp_path / 'w.duckdb'}"]
    command += ["--reports", str(tmp_path / "reports")]
    process = subprocess.Popen(
        command,
        env=env,
        cwd=tmp_path,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        run = _started_run(home, process)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert run.tags[PID_TAG] == str(process.pid)

    with DagsterInstance.from_config(str(home)) as instance:
        assert yaml.safe_load((home / "dagster.yaml").read_text())["run_monitoring"]["enabled"]
        with WorkspaceProcessContext(instance, InProcessWorkspaceLoadTarget([])) as context:
            list(execute_run_monitoring_iteration(context, logging.getLogger("monitoring")))
        assert instance.get_run_by_id(run.run_id).status == DagsterRunStatus.STARTED  # type: ignore[union-attr]
        (backfill,) = instance.get_backfills()
        assert backfill.status is BulkActionStatus.REQUESTED

        marked = fail_orphaned_runs(instance)  # what `sop` does before its first cycle
        assert marked[0].startswith(f"run {run.run_id} (cycle 2026-10) marked failed")
        assert f"pid {process.pid}" in marked[0] and len(marked) == 2
        assert instance.get_run_by_id(run.run_id).status == DagsterRunStatus.FAILURE  # type: ignore[union-attr]
        failed = instance.get_backfill(backfill.backfill_id)
        assert failed is not None and failed.status is BulkActionStatus.FAILED
        assert failed.error is not None and "is gone" in failed.error.message
