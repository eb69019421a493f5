"""Benchmark: what a planning cycle costs depending on how it is launched.

One demo cycle on the same exports, each run into a fresh DuckDB file and a persistent Dagster
instance, launched three ways:

- `cli`: as `sop run` does, `execute_in_process` of the `sop_cycle` job;
- `execute_job/in_process`: through Dagster's `execute_job` (the path a run launcher takes, a
  reconstructable job) with the job's executor, `in_process_executor`, as a UI run now has;
- `execute_job/multiprocess`: the same with Dagster's default `multiprocess_executor`, one
  process per step, as a UI run had before;
- `run_launcher`: as the UI launches it: the UI's GraphQL `launchPipelineExecution` mutation
  against the code location of workspace.yaml (a gRPC code server, started once, before the
  timings), then Dagster's default run launcher starts a run worker process that loads the
  definitions and runs the job; timed from the launch to the run's end.

Prints each launch's median wall time and its ratio to the CLI's. Usage:

    python -m benchmarks.launch_benchmark [--skus 40] [--cycle 2026-11] [--repeat 3]
        [--modes cli execute_job/in_process execute_job/multiprocess run_launcher]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd
from dagster import (
    DagsterInstance,
    DagsterRunStatus,
    JobDefinition,
    execute_job,
    multiprocess_executor,
    reconstructable,
)
from dagster._core.workspace.context import WorkspaceProcessContext
from dagster._core.workspace.load_target import WorkspaceFileTarget
from dagster_graphql.test.utils import execute_dagster_graphql

from sop_pipeline.backfill import CODE_LOCATION
from sop_pipeline.demo import write_demo_exports
from sop_pipeline.runner import CycleOptions, cycle_job, run_cycle

MODES = ("cli", "execute_job/in_process", "execute_job/multiprocess", "run_launcher")
RUN_CONFIG = {"loggers": {"progress": {}}}
INSTANCE_YAML = """
run_coordinator:
  module: dagster._core.run_coordinator
  class: DefaultRunCoordinator
telemetry:
  enabled: false
"""


def _options() -> CycleOptions:
    """The options of the job under test, from the environment (a reconstructed job is
    rebuilt in every step process, from nothing but this module's name)."""
    return CycleOptions(
        exports=Path(os.environ["SOP_BENCH_EXPORTS"]),
        warehouse_url=os.environ["SOP_BENCH_WAREHOUSE"],
        reports_dir=Path(os.environ["SOP_BENCH_REPORTS"]),
    )


def in_process_cycle_job() -> JobDefinition:
    """`sop_cycle` as shipped: one process for the run."""
    return cycle_job(_options())


def multiprocess_cycle_job() -> JobDefinition:
    """`sop_cycle` with Dagster's default executor: one process per step. One step at a time,
    as DuckDB allows one writing process per file (parallel steps fail on its lock)."""
    serial = multiprocess_executor.configured({"max_concurrent": 1})
    return cycle_job(_options()).with_executor_def(serial)


def launch(mode: str, cycle: pd.Timestamp, instance: DagsterInstance) -> float:
    """Run one cycle launched as `mode`; return its wall time in seconds."""
    started = time.perf_counter()
    if mode == "cli":
        run_cycle(cycle, in_process_cycle_job(), instance)
    elif mode == "run_launcher":
        launch_from_the_ui(cycle, instance)
    else:
        target = in_process_cycle_job if mode.endswith("in_process") else multiprocess_cycle_job
        tags = {"dagster/partition": f"{cycle:%Y-%m-%d}"}
        with execute_job(
            reconstructable(target), instance, run_config=RUN_CONFIG, tags=tags
        ) as result:
            if not result.success:
                raise RuntimeError(f"{mode}: the cycle failed")
    return time.perf_counter() - started


LAUNCH_RUN = """
mutation($executionParams: ExecutionParams!) {
  launchPipelineExecution(executionParams: $executionParams) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on PythonError { message }
  }
}
"""
_WORKSPACE: dict[str, Any] = {}


def _ui_workspace(instance: DagsterInstance) -> Any:
    """The code location of workspace.yaml in its own gRPC code server, as `dagster dev` runs
    it; started once per benchmark, as a deployment's code server runs all the time."""
    if "context" not in _WORKSPACE:
        stack = contextlib.ExitStack()
        workspace = str(Path(__file__).resolve().parents[1] / "workspace.yaml")
        _WORKSPACE["context"] = stack.enter_context(
            WorkspaceProcessContext(instance, WorkspaceFileTarget(paths=[workspace]))
        )
        _WORKSPACE["stack"] = stack
    return _WORKSPACE["context"]


def launch_from_the_ui(cycle: pd.Timestamp, instance: DagsterInstance) -> None:
    """Launch the cycle as the UI's launchpad does and wait for its run to end."""
    options = _options()
    run_config = {
        "resources": {
            "warehouse": {"config": {"url": options.warehouse_url}},
            "exports": {"config": {"root": str(options.exports)}},
            "settings": {"config": {"reports_dir": str(options.reports_dir)}},
        }
    }
    params = {
        "selector": {
            "repositoryLocationName": CODE_LOCATION,
            "repositoryName": "__repository__",
            "pipelineName": "sop_cycle",
        },
        "runConfigData": run_config,
        "executionMetadata": {"tags": [{"key": "dagster/partition", "value": f"{cycle:%Y-%m-%d}"}]},
    }
    context = _ui_workspace(instance).create_request_context()
    result = execute_dagster_graphql(context, LAUNCH_RUN, {"executionParams": params})
    launched = result.data["launchPipelineExecution"]
    if launched["__typename"] != "LaunchRunSuccess":
        raise RuntimeError(f"run_launcher: {launched}")
    run_id = launched["run"]["runId"]
    while True:
        run = instance.get_run_by_id(run_id)
        if run is not None and run.is_finished:
            break
        time.sleep(0.2)
    if run.status != DagsterRunStatus.SUCCESS:
        raise RuntimeError(f"run_launcher: the cycle's run {run_id} ended {run.status}")


def benchmark(skus: int, cycle: str, repeat: int, modes: list[str]) -> dict[str, list[float]]:
    """Wall times per launch mode, each run into a fresh warehouse."""
    workdir = Path(tempfile.mkdtemp(prefix="sop_launch_bench_"))
    write_demo_exports(
        workdir / "exports", last_cycle=cycle, months=30, n_skus=skus, full_history_at=cycle
    )
    os.environ["SOP_BENCH_EXPORTS"] = str(workdir / "exports")
    os.environ["SOP_BENCH_REPORTS"] = str(workdir / "reports")
    # step processes import this module by name: the repository root must be on their path
    root = str(Path(__file__).resolve().parents[1])
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))
    (workdir / "dagster").mkdir()
    # the UI's launches start at once (no queue daemon here)
    (workdir / "dagster" / "dagster.yaml").write_text(INSTANCE_YAML)
    instance = DagsterInstance.from_config(str(workdir / "dagster"))
    if "run_launcher" in modes:
        _ui_workspace(instance)  # the code server starts before the clock, as in a deployment
    timings: dict[str, list[float]] = {mode: [] for mode in modes}
    for run in range(repeat):
        for mode in modes:
            warehouse = workdir / f"{mode.replace('/', '_')}_{run}.duckdb"
            os.environ["SOP_BENCH_WAREHOUSE"] = f"duckdb:///{warehouse}"
            # dbt and the libraries print to stdout: to a log, so the figures stay readable
            with (workdir / "runs.log").open("a") as log, contextlib.redirect_stdout(log):
                timings[mode].append(launch(mode, pd.Timestamp(f"{cycle}-01"), instance))
            print(f"  {mode:<26} run {run + 1}: {timings[mode][-1]:7.1f} s", flush=True)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skus", type=int, default=40, help="demo company size")
    parser.add_argument("--cycle", default="2026-11", help="the cycle run, YYYY-MM")
    parser.add_argument("--repeat", type=int, default=3, help="runs per launch mode")
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    args = parser.parse_args()
    try:
        timings = benchmark(args.skus, args.cycle, args.repeat, args.modes)
    finally:
        if "stack" in _WORKSPACE:
            _WORKSPACE["stack"].close()
    base = statistics.median(timings["cli"]) if "cli" in timings else None
    print(f"\none cycle, {args.skus} SKUs, median of {args.repeat}:")
    for mode, seconds in timings.items():
        median = statistics.median(seconds)
        ratio = f"{median / base:5.2f}x the CLI" if base else ""
        print(f"  {mode:<26} {median:7.1f} s  {ratio}")


if __name__ == "__main__":
    main()
