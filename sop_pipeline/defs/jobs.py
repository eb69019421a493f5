"""The monthly planning job and its schedule: one run per cycle, on the first of the month."""

from dagster import (
    AssetSelection,
    build_schedule_from_partitioned_job,
    define_asset_job,
    in_process_executor,
)

from sop_pipeline.defs.partitions import cycle_partitions
from sop_pipeline.defs.resources import WarehouseResource
from sop_pipeline.io.run_tags import run_tags

# Runs launched from the UI, the schedule or a backfill carry the warehouse they write to and
# the code version; the warehouse tag keys the run queue's one-run-per-warehouse limit
# (dagster.yaml). Read when the definitions load, as the warehouse resource's default is.
sop_cycle_job = define_asset_job(
    "sop_cycle",
    selection=AssetSelection.all(include_sources=False),
    partitions_def=cycle_partitions,
    description="One S&OP planning cycle: collection to MPS and the reporting marts.",
    # one process for the whole cycle, as `sop run` does: a process per step re-imports the
    # stack (pandas, statsforecast, dbt) ~35 times and made a UI cycle 3x slower than the CLI
    executor_def=in_process_executor,
    tags=run_tags(WarehouseResource().resolved_url()),
)

# Each tick requests the newest cycle with run_key = partition key, so a tick retried by the
# daemon never starts the same cycle twice.
sop_cycle_schedule = build_schedule_from_partitioned_job(
    sop_cycle_job, name="monthly_sop_cycle", hour_of_day=6
)
