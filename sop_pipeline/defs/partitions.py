"""The one partition that drives everything: a month is a planning cycle.

Partition key 2026-11-01 is cycle 2026-11: actuals up to the end of October, plans from November
on. `end_offset=1` makes the current month's cycle available as soon as the month starts, when
its export drop (written at the end of the previous month) is there.
"""

import pandas as pd
from dagster import AssetCheckExecutionContext, AssetExecutionContext, MonthlyPartitionsDefinition

cycle_partitions = MonthlyPartitionsDefinition(start_date="2020-01-01", end_offset=1)


def cycle_of(context: AssetExecutionContext | AssetCheckExecutionContext) -> pd.Timestamp:
    """The planning month of the run's partition."""
    return pd.Timestamp(context.partition_key)
