"""Which runs of a backfill may start: cycles in order, each only after the one before it was
published, and every cycle in one run.

A job backfill of `sop_cycle` (the UI's "Launch backfill" on the job's partitions, `dagster job
backfill`, `sop backfill`) makes one run per cycle; the run queue starts them in cycle order,
one per warehouse, but on its own it would start cycle M after cycle M-1 failed. Cycle M reads
what M-1 planned (the declared earlier-cycle dependencies: accuracy, frozen zone, plan changes),
so a run of a backfill checks, when its warehouse resource starts and before any step runs, the
newest run of every earlier cycle of the same backfill: each must have succeeded, i.e. its
`publish` step published the cycle. Otherwise the run fails at once, in one line naming the
earlier cycle and its run.

An asset backfill (the asset graph's "Materialize" over several partitions) cannot publish a
cycle whole: Dagster's asset backfill daemon requests each cycle in several runs (assets of a
later cycle that read nothing of the earlier one early, assets that read their own earlier
cycles, such as `kpi`, `supply_plan` and `forecast_value_added`, never in a run with their
parents), and a run publishes only what it staged itself. Its runs are refused at once, naming
the job backfill to launch instead.
"""

from __future__ import annotations

from dagster import DagsterInstance, DagsterRunStatus, RunsFilter
from dagster._core.storage.dagster_run import DagsterRun
from dagster._core.storage.tags import BACKFILL_ID_TAG, PARTITION_NAME_TAG

from sop_pipeline.io.warehouse import WarehouseError

UNPUBLISHED = {
    DagsterRunStatus.FAILURE: "failed",
    DagsterRunStatus.CANCELED: "was canceled",
    DagsterRunStatus.CANCELING: "was canceled",
}
JOB_BACKFILL_HINT = (
    "launch a backfill of the sop_cycle job instead (Jobs > sop_cycle > Partitions > "
    "Launch backfill, or `dagster job backfill -j sop_cycle`), one whole cycle per run"
)


class CycleOutOfOrder(WarehouseError):
    """A run of a backfill that must not start: an earlier cycle is not published, or the run
    holds only part of its cycle."""


def check_backfill_run(instance: DagsterInstance | None, run: DagsterRun) -> None:
    """CycleOutOfOrder, in one line, when this run of a backfill must not start."""
    backfill_id = run.tags.get(BACKFILL_ID_TAG)
    if instance is None or backfill_id is None:
        return
    cycle = run.tags.get(PARTITION_NAME_TAG) or run.tags.get("dagster/asset_partition_range_start")
    backfill = instance.get_backfill(backfill_id)
    if backfill is not None and backfill.is_asset_backfill:
        raise CycleOutOfOrder(
            f"cycle {(cycle or '?')[:7]} not run: asset backfill {backfill_id} splits each "
            f"cycle into several runs, and a cycle is published whole only by one run; "
            + JOB_BACKFILL_HINT
        )
    if cycle is not None:
        blocking = unpublished_earlier_cycle(instance, backfill_id, cycle, run.run_id)
        if blocking is not None:
            raise CycleOutOfOrder(f"cycle {cycle[:7]} of backfill {backfill_id}: {blocking}")


def unpublished_earlier_cycle(
    instance: DagsterInstance, backfill_id: str, cycle: str, run_id: str
) -> str | None:
    """Why cycle `cycle` (a partition key) must wait: the first earlier cycle of the backfill
    whose newest run did not succeed, with that run; None when every earlier cycle is
    published."""
    newest: dict[str, DagsterRun] = {}
    for other in instance.get_runs(RunsFilter(tags={BACKFILL_ID_TAG: backfill_id})):
        key = other.tags.get(PARTITION_NAME_TAG, "")
        if other.run_id != run_id and key < cycle:
            newest.setdefault(key, other)  # runs come newest first
    for key in sorted(newest):
        earlier = newest[key]
        if earlier.status != DagsterRunStatus.SUCCESS:
            how = UNPUBLISHED.get(earlier.status, f"has not finished: {earlier.status.value}")
            return (
                f"not run, because cycle {key[:7]} was not published (its run {earlier.run_id} "
                f"{how}); re-run cycle {key[:7]}, then the cycles after it"
            )
    return None
