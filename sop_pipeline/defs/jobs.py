"""The monthly planning job and its schedule: one run per cycle, on the first of the month."""

from dagster import AssetSelection, build_schedule_from_partitioned_job, define_asset_job

from sop_pipeline.defs.partitions import cycle_partitions

sop_cycle_job = define_asset_job(
    "sop_cycle",
    selection=AssetSelection.all(include_sources=False),
    partitions_def=cycle_partitions,
    description="One S&OP planning cycle: collection to MPS and the reporting marts.",
)

# Each tick requests the newest cycle with run_key = partition key, so a tick retried by the
# daemon never starts the same cycle twice.
sop_cycle_schedule = build_schedule_from_partitioned_job(
    sop_cycle_job, name="monthly_sop_cycle", hour_of_day=6
)
