"""Running planning cycles in-process from the command line, as the same Dagster job the
schedule runs, so that runs show in the Dagster UI of the same DAGSTER_HOME."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from dagster import DagsterEventType, DagsterInstance, ExecuteInProcessResult, JobDefinition
from dagster._core.utils import make_new_run_id

from sop_pipeline.definitions import build_definitions
from sop_pipeline.defs.partitions import FIRST_CYCLE
from sop_pipeline.defs.resources import ExportsResource, PlanningSettings, WarehouseResource
from sop_pipeline.io.cycle_lock import cycle_lock
from sop_pipeline.io.warehouse import Warehouse, WarehouseError

DEFAULT_DAGSTER_HOME = ".dagster"


class CycleFailed(RuntimeError):
    """A cycle stopped; the message names the step and the cause a user can act on."""


@dataclass(frozen=True)
class CycleOptions:
    """Where a run reads, writes and how far it plans."""

    exports: Path
    warehouse_url: str
    reports_dir: Path = Path("reports")
    horizon_months: int = 18


def dagster_instance() -> DagsterInstance:
    """The instance at $DAGSTER_HOME, or ./.dagster, so CLI runs are visible in `dagster dev`."""
    home = Path(os.environ.get("DAGSTER_HOME") or DEFAULT_DAGSTER_HOME).resolve()
    home.mkdir(parents=True, exist_ok=True)
    (home / "dagster.yaml").touch()  # Dagster's defaults; the file only stops it warning
    os.environ["DAGSTER_HOME"] = str(home)
    return DagsterInstance.get()


def cycle_job(options: CycleOptions) -> JobDefinition:
    """The `sop_cycle` job bound to these options: built once, run for every cycle of a range."""
    defs = build_definitions(
        warehouse=WarehouseResource(url=options.warehouse_url),
        exports=ExportsResource(root=str(options.exports)),
        settings=PlanningSettings(
            horizon_months=options.horizon_months, reports_dir=str(options.reports_dir)
        ),
    )
    return defs.resolve_job_def("sop_cycle")


def run_cycle(
    cycle: pd.Timestamp, job: JobDefinition, instance: DagsterInstance
) -> ExecuteInProcessResult:
    """Materialise every asset and check of one cycle; CycleFailed when a step fails or the
    cycle is not one of the partitions (before $SOP_FIRST_CYCLE, or after the current month)."""
    partition_key = f"{cycle:%Y-%m-%d}"
    if job.partitions_def is not None and not job.partitions_def.has_partition_key(partition_key):
        raise CycleFailed(
            f"cycle {cycle:%Y-%m} is not a planning cycle: cycles run from {FIRST_CYCLE:%Y-%m} "
            "(set SOP_FIRST_CYCLE=YYYY-MM for an earlier history) to the current month"
        )
    run_id = make_new_run_id()
    with sole_writer(job, cycle, run_id):
        result = job.execute_in_process(
            partition_key=partition_key,
            instance=instance,
            raise_on_error=False,
            run_config={"loggers": {"progress": {}}},
            run_id=run_id,
        )
    if not result.success:
        raise CycleFailed(f"cycle {cycle:%Y-%m} failed: {failure_reason(result)}")
    return result


def failure_reason(result: ExecuteInProcessResult) -> str:
    """The step that failed and the innermost error message, without the traceback."""
    for event in result.all_events:
        if event.event_type != DagsterEventType.STEP_FAILURE or event.step_failure_data is None:
            continue
        error = event.step_failure_data.error
        while error is not None and error.cause is not None:
            error = error.cause
        message = error.message.strip() if error is not None else "unknown error"
        return f"step {event.step_key}: {message}"
    return "a step did not complete (see the Dagster run log)"


def job_warehouse(job: JobDefinition) -> Warehouse:
    """The warehouse the job's `warehouse` resource is bound to (its schema name checked)."""
    bound = job.resource_defs["warehouse"].config_field
    settings = bound.default_value if bound is not None and bound.default_provided else {}
    return WarehouseResource(**settings).warehouse()


@contextmanager
def sole_writer(job: JobDefinition, cycle: pd.Timestamp, run_id: str) -> Iterator[None]:
    """Hold the cycle's lock on the job's warehouse for one run; CycleFailed at once, in one
    line, when the schema name is invalid or another run of the cycle holds the lock."""
    with ExitStack() as held:
        try:
            held.enter_context(cycle_lock(job_warehouse(job), cycle, run_id))
        except WarehouseError as exc:
            raise CycleFailed(str(exc)) from None
        yield
