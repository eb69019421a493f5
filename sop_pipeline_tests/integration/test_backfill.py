"""Backfills the Dagster way, for real: a two-cycle backfill launched with the UI's own
GraphQL mutation, its runs submitted by the backfill daemon's iteration and started by the run
queue daemon's iteration under the shipped `dagster.yaml` limits, gives the same tables as
`sop backfill` of the same cycles; and `sop backfill` is one backfill the UI resolves. When a
cycle of a UI backfill fails, the later cycles fail at once naming it; an asset backfill, which
Dagster splits into several runs per cycle, has its runs refused, naming the job backfill.

The one stand-in: Dagster's synchronous test launcher (`SyncInMemoryRunLauncher`) instead of
the default launcher's run-worker subprocess, so a dequeued run executes inside the queue
iteration and the test sees the runs one at a time. The code location is loaded in process
under the name workspace.yaml gives it, instead of by a gRPC code server."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import pairwise
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from dagster import AssetKey, DagsterInstance, DagsterRunStatus, RunsFilter
from dagster._core.execution.backfill import BulkActionStatus
from dagster._core.remote_origin import InProcessCodeLocationOrigin
from dagster._core.storage.dagster_run import RunRecord
from dagster._core.storage.tags import BACKFILL_ID_TAG, PARTITION_NAME_TAG
from dagster._core.types.loadable_target_origin import LoadableTargetOrigin
from dagster._core.workspace.context import WorkspaceProcessContext
from dagster._core.workspace.load_target import InProcessWorkspaceLoadTarget
from dagster._daemon.backfill import execute_backfill_iteration
from dagster._daemon.run_coordinator.queued_run_coordinator_daemon import (
    QueuedRunCoordinatorDaemon,
)
from dagster_graphql.client.query import LAUNCH_PARTITION_BACKFILL_MUTATION
from dagster_graphql.test.utils import execute_dagster_graphql

from sop_pipeline.backfill import CODE_LOCATION
from sop_pipeline.commands import run_cycles
from sop_pipeline.definitions import PROJECT_ROOT
from sop_pipeline.defs.failures import run_failure
from sop_pipeline.demo import write_demo_exports
from sop_pipeline.io.cycle_runs import cycle_runs
from sop_pipeline.io.warehouse import Warehouse
from sop_pipeline_tests.cycles import cycle_tables

pytestmark = pytest.mark.integration

CYCLES = ["2026-10", "2026-11"]  # two: an order, an earlier-cycle dependency
KEYS = [f"{cycle}-01" for cycle in CYCLES]
HORIZON = 12
SYNC_LAUNCHER = {
    "module": "dagster._core.launcher.sync_in_memory_run_launcher",
    "class": "SyncInMemoryRunLauncher",
}
BACKFILL_QUERY = """
query($id: String!) {
  partitionBackfillOrError(backfillId: $id) {
    __typename
    ... on PartitionBackfill {
      status
      partitionSet { name }
      partitionStatuses { results { partitionName runStatus } }
    }
  }
}
"""


@pytest.fixture
def drops(tmp_path: Path) -> Path:
    """A 12-SKU demo company's drops, full sales history at the first of the cycles."""
    root = tmp_path / "exports"
    write_demo_exports(
        root, last_cycle=CYCLES[-1], months=26, n_skus=12, seed=5, full_history_at=CYCLES[0]
    )
    return root


def _instance(home: Path) -> DagsterInstance:
    """The shipped dagster.yaml (its run queue and limits) with the synchronous launcher."""
    config = yaml.safe_load((PROJECT_ROOT / "dagster.yaml").read_text())
    home.mkdir()
    (home / "dagster.yaml").write_text(yaml.safe_dump({**config, "run_launcher": SYNC_LAUNCHER}))
    return DagsterInstance.from_config(str(home))


@contextmanager
def _workspace(instance: DagsterInstance) -> Iterator[WorkspaceProcessContext]:
    origin = InProcessCodeLocationOrigin(
        LoadableTargetOrigin(
            module_name="sop_pipeline.definitions",
            attribute="defs",
            working_directory=str(PROJECT_ROOT),
        ),
        location_name=CODE_LOCATION,
    )
    with WorkspaceProcessContext(instance, InProcessWorkspaceLoadTarget(origin)) as context:
        yield context


def _graphql(context: WorkspaceProcessContext, query: str, variables: dict[str, Any]) -> Any:
    result = execute_dagster_graphql(context.create_request_context(), query, variables)
    assert not result.errors, result.errors
    return result.data


def _launch_from_the_ui(
    context: WorkspaceProcessContext, run_config: dict[str, Any], keys: list[str] = KEYS
) -> str:
    """What the UI's "Launch backfill" on the job's partitions sends."""
    selector = {
        "repositorySelector": {
            "repositoryLocationName": CODE_LOCATION,
            "repositoryName": "__repository__",
        },
        "partitionSetName": "sop_cycle_partition_set",
    }
    return _launch(context, {"selector": selector, "partitionNames": keys}, run_config)


def _launch(
    context: WorkspaceProcessContext, params: dict[str, Any], run_config: dict[str, Any]
) -> str:
    data = _graphql(
        context,
        LAUNCH_PARTITION_BACKFILL_MUTATION,
        {"backfillParams": {**params, "runConfigData": run_config}},
    )["launchPartitionBackfill"]
    assert data["__typename"] == "LaunchBackfillSuccess", data
    return str(data["backfillId"])


def _run_config(url: str, exports: Path, reports: Path) -> dict[str, Any]:
    return {
        "resources": {
            "warehouse": {"config": {"url": url}},
            "exports": {"config": {"root": str(exports)}},
            "settings": {"config": {"horizon_months": HORIZON, "reports_dir": str(reports)}},
        }
    }


def _failure_line(instance: DagsterInstance, run_id: str) -> str | None:
    """The one-line cause of a run that failed before any step, and whether a step started."""
    events = [r.dagster_event for r in instance.all_logs(run_id) if r.dagster_event is not None]
    assert not [e for e in events if e.event_type_value == "STEP_START"], "a step started"
    return run_failure(events)


def _runs(instance: DagsterInstance, backfill_id: str) -> list[RunRecord]:
    """The backfill's runs, oldest first."""
    records = instance.get_run_records(RunsFilter(tags={BACKFILL_ID_TAG: backfill_id}))
    return sorted(records, key=lambda record: record.create_timestamp)


def _in_order_one_after_the_other(records: list[RunRecord]) -> None:
    assert [record.dagster_run.tags[PARTITION_NAME_TAG] for record in records] == KEYS
    assert all(record.dagster_run.status == DagsterRunStatus.SUCCESS for record in records)
    for earlier, later in pairwise(records):
        assert earlier.end_time is not None and later.start_time is not None
        assert later.start_time >= earlier.end_time


def test_a_ui_backfill_runs_the_cycles_in_order_one_at_a_time_as_sop_backfill_does(
    drops: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "dagster_home"
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    instance = _instance(home)
    ui_url, sop_url = (f"duckdb:///{tmp_path / name}.duckdb" for name in ("ui", "cli"))
    run_config = _run_config(ui_url, drops, tmp_path / "ui")
    daemon_log = logging.getLogger("test_backfill")
    with _workspace(instance) as context:
        backfill_id = _launch_from_the_ui(context, run_config)
        list(execute_backfill_iteration(context, daemon_log))  # submits every cycle's run
        queued = _runs(instance, backfill_id)
        assert [record.dagster_run.tags[PARTITION_NAME_TAG] for record in queued] == KEYS
        assert {record.dagster_run.status for record in queued} == {DagsterRunStatus.QUEUED}
        queue = QueuedRunCoordinatorDaemon(interval_seconds=1)
        for started in range(1, len(KEYS) + 1):
            # four runs may run at once, but one per warehouse (the `sop/warehouse` limit)
            list(queue.run_iteration(context))
            statuses = [record.dagster_run.status for record in _runs(instance, backfill_id)]
            assert statuses == [DagsterRunStatus.SUCCESS] * started + [DagsterRunStatus.QUEUED] * (
                len(KEYS) - started
            )
        list(execute_backfill_iteration(context, daemon_log))
        backfill = instance.get_backfill(backfill_id)
        assert backfill is not None and backfill.status is BulkActionStatus.COMPLETED_SUCCESS
        _in_order_one_after_the_other(_runs(instance, backfill_id))

        run_cycles([pd.Timestamp(key) for key in KEYS], drops, sop_url, tmp_path / "sop", HORIZON)
        (sop_backfill,) = [b for b in instance.get_backfills() if b.backfill_id != backfill_id]
        assert sop_backfill.status is BulkActionStatus.COMPLETED_SUCCESS
        _in_order_one_after_the_other(_runs(instance, sop_backfill.backfill_id))
        shown = _graphql(context, BACKFILL_QUERY, {"id": sop_backfill.backfill_id})
    shown = shown["partitionBackfillOrError"]
    assert shown["status"] == "COMPLETED_SUCCESS"
    assert shown["partitionSet"]["name"] == "sop_cycle_partition_set"
    assert [
        (p["partitionName"], p["runStatus"]) for p in shown["partitionStatuses"]["results"]
    ] == [(key, "SUCCESS") for key in KEYS]
    for cycle in CYCLES:
        ui_tables, sop_tables = cycle_tables(ui_url, cycle), cycle_tables(sop_url, cycle)
        assert len(sop_tables["mps"]) and len(sop_tables["kpi"])
        for name, rows in sop_tables.items():
            pd.testing.assert_frame_equal(ui_tables[name], rows, obj=f"{name} of {cycle}")


def test_a_failed_cycle_stops_a_ui_backfill_the_later_cycles_fail_at_once_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cycles = ["2026-10-01", "2026-11-01"]
    exports = tmp_path / "exports"
    write_demo_exports(
        exports, last_cycle="2026-11", months=24, n_skus=10, full_history_at="2026-10"
    )
    (exports / "2026-10" / "sales_history.csv").write_bytes(b"")  # the first cycle fails
    home = tmp_path / "dagster_home"
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    instance = _instance(home)
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    with _workspace(instance) as context:
        backfill_id = _launch_from_the_ui(
            context, _run_config(url, exports, tmp_path / "reports"), cycles
        )
        list(execute_backfill_iteration(context, logging.getLogger("test_backfill")))
        queue = QueuedRunCoordinatorDaemon(interval_seconds=1)
        for _ in cycles:
            list(queue.run_iteration(context))
    first, later = (record.dagster_run for record in _runs(instance, backfill_id))
    assert first.status == later.status == DagsterRunStatus.FAILURE
    assert _failure_line(instance, later.run_id) == (
        f"CycleOutOfOrder: cycle 2026-11 of backfill {backfill_id}: not run, because cycle "
        f"2026-10 was not published (its run {first.run_id} failed); re-run cycle 2026-10, "
        "then the cycles after it"
    )
    runs = cycle_runs(Warehouse(url))  # the later cycle never started: nothing recorded
    assert runs["run_id"].tolist() == [first.run_id]


def test_an_asset_backfill_splits_each_cycle_so_its_runs_are_refused_naming_the_job_backfill(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "dagster_home"
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    instance = _instance(home)
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    with _workspace(instance) as context:
        graph = context.create_request_context().asset_graph
        keys = graph.get_all_asset_keys()
        collection = sorted(k for k in keys if graph.get(k).group_name == "collection")
        # what the asset graph's "Materialize" over partitions sends: an asset backfill
        selection = [{"path": key.path} for key in collection]
        params = {"assetSelection": selection, "partitionNames": KEYS}
        backfill_id = _launch(context, params, _run_config(url, tmp_path, tmp_path / "reports"))
        list(execute_backfill_iteration(context, logging.getLogger("test_backfill")))
        requested = [record.dagster_run for record in _runs(instance, backfill_id)]
        # Dagster requests both cycles at once, each without the step reading earlier cycles
        assert [run.tags[PARTITION_NAME_TAG] for run in requested] == KEYS
        assert all(AssetKey("sales_actuals") not in run.asset_selection for run in requested)
        assert all(0 < len(run.asset_selection or ()) < len(collection) for run in requested)
        queue = QueuedRunCoordinatorDaemon(interval_seconds=1)
        list(queue.run_iteration(context))
    first = _runs(instance, backfill_id)[0].dagster_run
    assert first.status == DagsterRunStatus.FAILURE
    line = _failure_line(instance, first.run_id)
    assert line is not None and line.startswith(
        f"CycleOutOfOrder: cycle 2026-10 not run: asset backfill {backfill_id} splits each cycle"
    )
    assert "backfill of the sop_cycle job" in line
    assert not Warehouse(url).sibling("_pending").has_table("items")  # nothing was staged
