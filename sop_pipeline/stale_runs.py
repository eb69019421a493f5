"""Runs and backfills whose `sop` process died (kill -9, a lost terminal) marked failed.

A run of `sop run/backfill/demo` executes inside the `sop` process: there is no run worker for
Dagster's run monitoring to check (the default run launcher cannot report a worker's health),
so such a run would stay STARTED forever. Every `sop` run carries the pid and host of its
process (`sop/pid`, `sop/host`); the next `sop` command on that host marks each unfinished run
whose process is gone as failed, and each backfill of `sop` left in progress likewise.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping

from dagster import DagsterInstance, DagsterRunStatus, RunsFilter
from dagster._core.execution.backfill import BulkActionsFilter, BulkActionStatus

from sop_pipeline.backfill import HOST_TAG, PID_TAG, finish_backfill

UNFINISHED = [DagsterRunStatus.NOT_STARTED, DagsterRunStatus.STARTING, DagsterRunStatus.STARTED]


def process_alive(pid: int) -> bool:
    """Whether a process with this pid exists on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def _orphaned(tags: Mapping[str, str], host: str) -> int | None:
    """The pid of the dead `sop` process these tags name on `host`, else None."""
    if tags.get(HOST_TAG) != host:
        return None
    pid = tags.get(PID_TAG, "")
    if not pid.isdigit() or process_alive(int(pid)):
        return None
    return int(pid)


def fail_orphaned_runs(instance: DagsterInstance) -> list[str]:
    """Mark the unfinished `sop` runs of this host whose process is gone as failed, then the
    in-progress `sop` backfills likewise; return one line per run or backfill marked."""
    host = socket.gethostname()
    marked = []
    for run in instance.get_runs(RunsFilter(statuses=UNFINISHED, tags={HOST_TAG: host})):
        pid = _orphaned(run.tags, host)
        if pid is None:
            continue
        cycle = run.tags.get("dagster/partition", "?")[:7]
        message = (
            f"run {run.run_id} (cycle {cycle}) marked failed: its sop process "
            f"(pid {pid} on {host}) is gone"
        )
        instance.report_run_failed(run, message)
        marked.append(message)
    requested = BulkActionsFilter(statuses=[BulkActionStatus.REQUESTED])
    for backfill in instance.get_backfills(filters=requested):
        pid = _orphaned(backfill.tags, host)
        if pid is None:
            continue
        message = (
            f"backfill {backfill.backfill_id} marked failed: its sop process "
            f"(pid {pid} on {host}) is gone"
        )
        finish_backfill(instance, backfill.backfill_id, BulkActionStatus.FAILED, message)
        marked.append(message)
    return marked
