"""A step's inputs, read and declared from one declaration (`sop_pipeline.core.inputs`).

`read_inputs` reads every field of a step's inputs class for the partition's cycle;
`input_deps` turns the same fields into the asset's dependencies, an earlier cycle as a
`TimeWindowPartitionMapping` with the same offsets. Cycles before the first partition do not
exist: they are neither read nor mapped (`allow_nonexistent_upstream_partitions`), so what an
asset declares is what it reads, from the first cycle on.
"""

from __future__ import annotations

import warnings
from collections.abc import Collection
from typing import Any, TypeVar

import pandas as pd
from dagster import AssetDep, BetaWarning, TimeWindowPartitionMapping

from sop_pipeline.core.calendar import add_months
from sop_pipeline.core.inputs import TableRead, declared_reads, tables_read
from sop_pipeline.defs.partitions import FIRST_CYCLE
from sop_pipeline.defs.resources import WarehouseResource

Inputs = TypeVar("Inputs")


def read_inputs(
    inputs_class: type[Inputs], warehouse: WarehouseResource, cycle: pd.Timestamp
) -> Inputs:
    """The step's inputs of `cycle`, each field read as declared."""
    fields = declared_reads(inputs_class)
    values: dict[str, Any] = {
        name: read_field(warehouse, read, cycle) for name, read in fields.items()
    }
    return inputs_class(**values)


def read_field(
    warehouse: WarehouseResource, read: TableRead, cycle: pd.Timestamp
) -> pd.DataFrame | None:
    """One declared input: the rows of its cycles (with `cycle` for a window), or None when an
    optional input has no rows."""
    newest = add_months(cycle, -read.newest)
    oldest = max(add_months(cycle, -read.oldest), FIRST_CYCLE)
    rows = warehouse.read_cycles(read.table, oldest, newest)
    if not read.window:
        rows = rows.drop(columns="cycle", errors="ignore")
    return None if read.optional and not len(rows) else rows


def input_deps(
    inputs_class: type | None, key: str | None = None, outputs: Collection[str] = ()
) -> list[AssetDep]:
    """The dependencies of asset `key` on what its step reads: one per table, with the cycles
    read as a partition mapping. `outputs` are the tables the step writes (a multi-asset): only
    the asset itself depends on its own earlier cycles, its siblings do not."""
    if inputs_class is None:
        return []
    deps = []
    for table, (newest, oldest) in tables_read(inputs_class).items():
        if table in outputs and table != key:
            continue
        if table == key and newest == 0:
            raise ValueError(f"{key} cannot read its own rows of the cycle it writes")
        if (newest, oldest) == (0, 0):
            deps.append(AssetDep(table))
        else:
            deps.append(AssetDep(table, partition_mapping=cycles_back_mapping(newest, oldest)))
    return deps


def cycles_back_mapping(newest: int, oldest: int) -> TimeWindowPartitionMapping:
    """The partitions `newest` to `oldest` months before the downstream one."""
    with warnings.catch_warnings():  # allow_nonexistent_upstream_partitions is beta
        warnings.simplefilter("ignore", BetaWarning)
        return TimeWindowPartitionMapping(
            start_offset=-oldest, end_offset=-newest, allow_nonexistent_upstream_partitions=True
        )
