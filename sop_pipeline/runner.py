"""Running planning cycles in-process from the command line, as the same Dagster job the
schedule runs, so that runs show in the Dagster UI of the same DAGSTER_HOME."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from dagster import DagsterInstance, Definitions, ExecuteInProcessResult, JobDefinition
from dagster._core.utils import make_new_run_id

from sop_pipeline.definitions import PROJECT_ROOT, build_definitions
from sop_pipeline.defs.failures import failure_summary
from sop_pipeline.defs.partitions import FIRST_CYCLE
from sop_pipeline.defs.resources import ExportsResource, PlanningSettings, WarehouseResource
from sop_pipeline.io.cycle_lock import CYCLE_LOCK_TAG, HELD_BY_RUNNER, cycle_lock
from sop_pipeline.io.cycle_runs import abandon_others, record_finished
from sop_pipeline.io.warehouse import Warehouse, WarehouseError
from sop_pipeline.io.write_lock import file_lock

DEFAULT_DAGSTER_HOME = ".dagster"
INSTANCE_LOCK = ".sop-instance.lock"  # in the Dagster home: one command at a time opens a new one


class CycleFailed(RuntimeError):
    """A cycle stopped; the message names the step and the cause a user can act on, `run_id`
    the Dagster run whose log holds the rest (None when no run started)."""

    def __init__(self, message: str, run_id: str | None = None) -> None:
        super().__init__(message)
        self.run_id = run_id


@dataclass(frozen=True)
class CycleOptions:
    """Where a run reads, writes and how far it plans."""

    exports: Path
    warehouse_url: str
    reports_dir: Path = Path("reports")
    horizon_months: int = 18
    mapping: Path | None = None  # the exports' mapping file (None: <exports>/mapping.yaml)


def dagster_instance() -> DagsterInstance:
    """The instance at $DAGSTER_HOME, or ./.dagster, so CLI runs are visible in `dagster dev`."""
    home = Path(os.environ.get("DAGSTER_HOME") or DEFAULT_DAGSTER_HOME).resolve()
    home.mkdir(parents=True, exist_ok=True)
    os.environ["DAGSTER_HOME"] = str(home)
    # opening a new home creates its SQLite storage; two `sop` commands doing that at once
    # would both stamp its schema version ("more than one head"), so the second one waits. A
    # read-only home (a deployment's mounted config) has its storage elsewhere: no lock there
    writable = os.access(home, os.W_OK)
    with file_lock(home / INSTANCE_LOCK) if writable else nullcontext():
        install_instance_config(home)
        return DagsterInstance.get()


def install_instance_config(home: Path) -> None:
    """The shipped dagster.yaml (run queue limits) in `home` unless it has its own config."""
    target = home / "dagster.yaml"
    if target.exists() and target.stat().st_size:
        return
    shipped = PROJECT_ROOT / "dagster.yaml"
    target.write_text(shipped.read_text() if shipped.exists() else "", encoding="utf-8")


def bound_definitions(options: CycleOptions) -> Definitions:
    """The pipeline's definitions with their resources bound to these options."""
    return build_definitions(
        warehouse=WarehouseResource(url=options.warehouse_url),
        exports=ExportsResource(root=str(options.exports), mapping=str(options.mapping or "")),
        settings=PlanningSettings(
            horizon_months=options.horizon_months, reports_dir=str(options.reports_dir)
        ),
    )


def cycle_job(options: CycleOptions) -> JobDefinition:
    """The `sop_cycle` job bound to these options: built once, run for every cycle of a range."""
    return bound_definitions(options).resolve_job_def("sop_cycle")


def run_cycle(
    cycle: pd.Timestamp,
    job: JobDefinition,
    instance: DagsterInstance,
    tags: Mapping[str, str] | None = None,
) -> ExecuteInProcessResult:
    """Materialise every asset and check of one cycle, the run tagged with `tags`; CycleFailed
    when a step fails or the cycle is not one of the partitions (before $SOP_FIRST_CYCLE, or
    after the current month)."""
    partition_key = f"{cycle:%Y-%m-%d}"
    if job.partitions_def is not None and not job.partitions_def.has_partition_key(partition_key):
        raise CycleFailed(
            f"cycle {cycle:%Y-%m} is not a planning cycle: cycles run from {FIRST_CYCLE:%Y-%m} "
            "(set SOP_FIRST_CYCLE=YYYY-MM for an earlier history) to the current month"
        )
    run_id = make_new_run_id()
    with sole_writer(job, cycle, run_id):
        abandon_others(job_warehouse(job), cycle, run_id)
        result = job.execute_in_process(
            partition_key=partition_key,
            instance=instance,
            raise_on_error=False,
            run_config={"loggers": {"progress": {}}},
            run_id=run_id,
            tags={**(tags or {}), CYCLE_LOCK_TAG: HELD_BY_RUNNER},
        )
        if not result.success:
            reason = failure_reason(result)
            record_finished(job_warehouse(job), run_id, "failed", reason)
            raise CycleFailed(f"cycle {cycle:%Y-%m} failed: {reason}", result.run_id)
    return result


def failure_reason(result: ExecuteInProcessResult) -> str:
    """The first failed step and its most specific cause, then the steps skipped after it."""
    return failure_summary(result)


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
