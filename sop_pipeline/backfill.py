"""`sop backfill` as one Dagster backfill: a backfill record of the `sop_cycle` job over the
cycles, in the instance the runs go to, so that the UI lists one backfill and groups its runs.

The record is a job backfill, as the UI's "Launch backfill" on the job's partitions writes it,
with one difference: its checkpoint already stands at the last cycle, so a daemon watching the
same instance never launches a run for it; `sop` runs the cycles itself, in order, in process,
one at a time, and writes the backfill's final status when it stops.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

from dagster import DagsterInstance
from dagster._core.definitions.repository_definition.valid_definitions import (
    SINGLETON_REPOSITORY_NAME,
)
from dagster._core.execution.backfill import BulkActionStatus, PartitionBackfill
from dagster._core.remote_origin import (
    RegisteredCodeLocationOrigin,
    RemotePartitionSetOrigin,
    RemoteRepositoryOrigin,
)
from dagster._core.remote_representation.external_data import (
    partition_set_snap_name_for_job_name,
)
from dagster._core.storage.tags import BACKFILL_ID_TAG
from dagster._core.utils import make_new_backfill_id
from dagster._time import get_current_timestamp
from dagster._utils.error import SerializableErrorInfo

# the code location's name in workspace.yaml and pyproject.toml ([tool.dagster]): the UI finds
# the backfill's job and partitions under it
CODE_LOCATION = "sop_pipeline"
PID_TAG = "sop/pid"
HOST_TAG = "sop/host"


def launcher_tags() -> dict[str, str]:
    """Which `sop` process runs a run or a backfill: what `stale_runs` checks after a crash."""
    return {PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}


def backfill_origin(job_name: str) -> RemotePartitionSetOrigin:
    """The job's partition set in this project's code location, as the UI names it."""
    repository = RemoteRepositoryOrigin(
        code_location_origin=RegisteredCodeLocationOrigin(location_name=CODE_LOCATION),
        repository_name=SINGLETON_REPOSITORY_NAME,
    )
    return RemotePartitionSetOrigin(
        repository_origin=repository,
        partition_set_name=partition_set_snap_name_for_job_name(job_name),
    )


def add_cycle_backfill(
    instance: DagsterInstance, job_name: str, partition_keys: Sequence[str], tags: Mapping[str, str]
) -> PartitionBackfill:
    """Record a backfill of `job_name` over `partition_keys` as in progress, every partition
    already counted as submitted (the runs come from `sop`, not from the daemon)."""
    backfill = PartitionBackfill(
        backfill_id=make_new_backfill_id(),
        status=BulkActionStatus.REQUESTED,
        from_failure=False,
        tags=dict(tags),
        backfill_timestamp=get_current_timestamp(),
        partition_set_origin=backfill_origin(job_name),
        partition_names=list(partition_keys),
        last_submitted_partition_name=partition_keys[-1],
        title=f"sop_backfill_{partition_keys[0][:7]}_{partition_keys[-1][:7]}".replace("-", "_"),
        description=f"sop backfill of {len(partition_keys)} cycles, run in order by `sop`",
    )
    instance.add_backfill(backfill)
    return backfill


def finish_backfill(
    instance: DagsterInstance, backfill_id: str, status: BulkActionStatus, error: str | None = None
) -> None:
    """Write the backfill's final status (and the one-line reason it stopped)."""
    backfill = instance.get_backfill(backfill_id)
    if backfill is None:
        return
    if error is not None:
        backfill = backfill.with_error(SerializableErrorInfo(error, [], "CycleFailed"))
    instance.update_backfill(
        backfill.with_status(status).with_end_timestamp(get_current_timestamp())
    )


@contextmanager
def cycle_backfill(
    instance: DagsterInstance, job_name: str, partition_keys: Sequence[str], tags: Mapping[str, str]
) -> Iterator[dict[str, str]]:
    """The run tags for the cycles of one `sop` command: for more than one cycle, with the id of
    a backfill recorded for them (Dagster's `dagster/backfill` tag), whose status is set when
    the block ends: succeeded, failed (a cycle failed; the reason kept), canceled (Ctrl-C)."""
    tags = {**tags, **launcher_tags()}
    if len(partition_keys) < 2:
        yield tags
        return
    backfill = add_cycle_backfill(instance, job_name, partition_keys, tags)
    try:
        yield {**tags, BACKFILL_ID_TAG: backfill.backfill_id}
    except KeyboardInterrupt:
        finish_backfill(instance, backfill.backfill_id, BulkActionStatus.CANCELED)
        raise
    except BaseException as exc:
        reason = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        finish_backfill(instance, backfill.backfill_id, BulkActionStatus.COMPLETED_FAILED, reason)
        raise
    finish_backfill(instance, backfill.backfill_id, BulkActionStatus.COMPLETED_SUCCESS)
