"""The warehouse's table contract: every table the pipeline writes, its columns, types and grain.

BI tools and the dbt sources rely on these names (docs/outputs.md); extend, never rename. Column
types are portable names mapped to SQL by the warehouse module. Every table carries `cycle`
(the first day of the planning month) and is replaced per cycle in one transaction.
"""

from __future__ import annotations

from sop_pipeline.core.contracts import CONTRACTS, table_columns
from sop_pipeline.core.tables.approval import APPROVAL_TABLES
from sop_pipeline.core.tables.demand import DEMAND_TABLES
from sop_pipeline.core.tables.executive import EXECUTIVE_TABLES
from sop_pipeline.core.tables.spec import Columns, TableSpec
from sop_pipeline.core.tables.supply import SUPPLY_TABLES

__all__ = ["OUTPUT_TABLES", "Columns", "TableSpec", "row_columns", "warehouse_tables"]

OUTPUT_TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in [
        *DEMAND_TABLES,
        *SUPPLY_TABLES,
        *EXECUTIVE_TABLES,
        *APPROVAL_TABLES,
    ]
}


def row_columns(table: str) -> list[str]:
    """The columns, in table order, of the rows a planning function returns for `table`: all but
    `cycle`, which the warehouse sets when it writes them."""
    return [name for name in OUTPUT_TABLES[table].columns if name != "cycle"]


def warehouse_tables() -> dict[str, dict[str, str]]:
    """Every table of the pipeline's schema with its columns: the input entities' tables (their
    contracts) and the output tables; the dbt project's sources."""
    tables = {c.table: table_columns(c) for c in CONTRACTS.values()}
    tables.update({name: dict(spec.columns) for name, spec in OUTPUT_TABLES.items()})
    return tables
