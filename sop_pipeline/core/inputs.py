"""What a planning step reads, declared once: the lineage of the pipeline starts here.

A step's inputs are one frozen dataclass; each field holds the rows of one warehouse table, and
its metadata (a `TableRead`) says which table and which cycles, counted back from the cycle
being planned: 0 is this cycle, 1 the previous one. Three shapes cover every step:

- `this_cycle(table)`: the table's rows of the cycle, without `cycle`;
- `previous_cycle(table)`: the rows of the cycle before, without `cycle`;
- `cycles_back(table, newest, oldest)`: the rows of every cycle from `oldest` back to `newest`
  back, with `cycle` (earlier forecasts at their lags, a history).

"Every earlier cycle" is bounded by `HISTORY_CYCLES`, so that what a step declares (and Dagster
maps to partitions) is exactly what it reads. An optional field is None when the cycle has no
rows: the feature that needs it is off. The Dagster layer reads the fields and derives the
asset's dependencies from the same declaration (`sop_pipeline.defs.inputs`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

# Ten years of monthly cycles: the window of the steps that read "all earlier cycles" (the
# sales lines' versions, the value-added history). Older cycles are not read.
HISTORY_CYCLES = 120
READ = "sop_read"


@dataclass(frozen=True)
class TableRead:
    """One input of a step: `table`'s rows of the cycles `newest`..`oldest` back."""

    table: str
    newest: int = 0
    oldest: int = 0
    window: bool = False  # rows of several cycles, each with its `cycle`
    optional: bool = False  # None instead of no rows


def this_cycle(table: str, optional: bool = False, **options: Any) -> Any:
    """A field holding `table`'s rows of the cycle."""
    return _field(TableRead(table, optional=optional), options)


def previous_cycle(table: str, optional: bool = True, **options: Any) -> Any:
    """A field holding `table`'s rows of the previous cycle (None in the first one)."""
    return _field(TableRead(table, newest=1, oldest=1, optional=optional), options)


def cycles_back(table: str, newest: int, oldest: int, **options: Any) -> Any:
    """A field holding `table`'s rows of the cycles `newest` to `oldest` back, with `cycle`."""
    if not 0 <= newest <= oldest:
        raise ValueError(f"{table}: cycles {newest}..{oldest} back is not a window")
    return _field(TableRead(table, newest=newest, oldest=oldest, window=True), options)


def _field(read: TableRead, options: dict[str, Any]) -> Any:
    if read.optional:
        options.setdefault("default", None)
    return dataclasses.field(metadata={READ: read}, **options)


def declared_reads(inputs_class: type) -> dict[str, TableRead]:
    """Every field of an inputs class with what it reads, in field order."""
    reads = {f.name: f.metadata.get(READ) for f in dataclasses.fields(inputs_class)}
    undeclared = [name for name, read in reads.items() if read is None]
    if undeclared:
        raise TypeError(f"{inputs_class.__name__}: field(s) {undeclared} declare no table read")
    return {name: read for name, read in reads.items() if read is not None}


def tables_read(inputs_class: type) -> dict[str, tuple[int, int]]:
    """{table: (newest, oldest)} over the fields: the cycles back of each table read."""
    spans: dict[str, tuple[int, int]] = {}
    for read in declared_reads(inputs_class).values():
        newest, oldest = spans.get(read.table, (read.newest, read.oldest))
        spans[read.table] = (min(newest, read.newest), max(oldest, read.oldest))
    return spans
