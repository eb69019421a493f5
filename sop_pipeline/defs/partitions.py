"""The one partition that drives everything: a month is a planning cycle.

Partition key 2026-11-01 is cycle 2026-11: actuals up to the end of October, plans from November
on. `end_offset=1` makes the current month's cycle available as soon as the month starts, when
its export drop (written at the end of the previous month) is there.

The partitions start at the first cycle with data, `$SOP_FIRST_CYCLE` (YYYY-MM), by default
2024-01: the first drop of the demo company's 36 months. Partitions are part of the definitions,
so this one setting is read when they load; a deployment whose history starts earlier sets it
before `dagster dev` or `sop backfill`.
"""

import os

import pandas as pd
from dagster import AssetCheckExecutionContext, AssetExecutionContext, MonthlyPartitionsDefinition

DEFAULT_FIRST_CYCLE = "2024-01"


def first_cycle() -> pd.Timestamp:
    """The first planning cycle: $SOP_FIRST_CYCLE (YYYY-MM), else DEFAULT_FIRST_CYCLE."""
    value = os.environ.get("SOP_FIRST_CYCLE") or DEFAULT_FIRST_CYCLE
    return pd.Timestamp(value).to_period("M").to_timestamp()


FIRST_CYCLE = first_cycle()
cycle_partitions = MonthlyPartitionsDefinition(start_date=f"{FIRST_CYCLE:%Y-%m-%d}", end_offset=1)


def cycle_of(context: AssetExecutionContext | AssetCheckExecutionContext) -> pd.Timestamp:
    """The planning month of the run's partition."""
    return pd.Timestamp(context.partition_key)
