"""What the Dagster catalogue shows of every Python asset, as in dagster-open-platform: the
table's columns, grain and key (from the warehouse contract), its owner and kinds, and after
each materialisation its row count and qualified name. Metadata tables are `MetadataValue.table`
and figures are rounded for reading."""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from typing import Any

import numpy as np
import pandas as pd
from dagster import (
    AssetSpec,
    MetadataValue,
    TableColumn,
    TableColumnConstraints,
    TableConstraints,
    TableRecord,
    TableSchema,
)

from sop_pipeline.core.contracts import CONTRACTS, SQL_KIND
from sop_pipeline.core.tables import OUTPUT_TABLES
from sop_pipeline.defs.inputs import input_deps
from sop_pipeline.defs.resources import WarehouseResource

OWNERS = ["team:sop"]
CONTRACT_BY_TABLE = {contract.table: contract for contract in CONTRACTS.values()}


def column_schema(table: str) -> TableSchema:
    """The warehouse columns of `table` with their types, nullability and the grain's key."""
    if table in OUTPUT_TABLES:
        spec = OUTPUT_TABLES[table]
        key, grain = spec.key, spec.grain
        columns = [(name, kind, name not in key) for name, kind in spec.columns.items()]
    else:
        contract = CONTRACT_BY_TABLE[table]
        key, grain = ("cycle", *contract.key), contract.grain
        columns = [("cycle", "date", False)] + [
            (c.name, SQL_KIND[c.kind], c.nullable) for c in contract.columns
        ]
    return TableSchema(
        columns=[
            TableColumn(name, kind, constraints=TableColumnConstraints(nullable=nullable))
            for name, kind, nullable in columns
        ],
        constraints=TableConstraints(other=[f"primary key ({', '.join(key)})", f"grain: {grain}"]),
    )


def table_definition(table: str) -> dict[str, Any]:
    """The metadata an asset writing `table` is defined with."""
    return {"dagster/column_schema": column_schema(table)}


def written(warehouse: WarehouseResource, table: str, rows: int) -> dict[str, Any]:
    """The metadata of a materialised table: its row count and schema-qualified name."""
    return {
        "dagster/row_count": int(rows),
        "dagster/table_name": f"{warehouse.resolved_schema()}.{table}",
    }


def readable(figures: Mapping[str, Any]) -> dict[str, Any]:
    """The figures with floats rounded for a reader: 3 decimals below 100, 1 above."""
    return {name: _rounded(value) for name, value in figures.items()}


def _rounded(value: object) -> object:
    if isinstance(value, float) and math.isfinite(value):
        return round(value, 3 if abs(value) < 100 else 1)
    return value


def frame_table(frame: pd.DataFrame) -> MetadataValue:
    """A small frame as a metadata table, numbers rounded, missing values blank."""
    kinds = {name: _column_kind(frame[name]) for name in frame.columns}
    records = [
        TableRecord({name: _cell(value) for name, value in zip(frame.columns, row, strict=True)})
        for row in frame.itertuples(index=False, name=None)
    ]
    schema = TableSchema(columns=[TableColumn(str(n), k) for n, k in kinds.items()])
    return MetadataValue.table(records=records, schema=schema)


def _column_kind(values: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(values):
        return "bool"
    if pd.api.types.is_integer_dtype(values):
        return "int"
    if pd.api.types.is_float_dtype(values):
        return "float"
    return "string"


def _cell(value: object) -> str | int | float | bool | None:
    if value is None or (not isinstance(value, str) and bool(pd.isna(value))):
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(_rounded(float(value)))  # type: ignore[arg-type]
    return str(value)


def table_spec(
    table: str,
    group: str,
    inputs_class: type,
    outputs: Collection[str],
    kinds: set[str],
    description: str,
) -> AssetSpec:
    """The catalogue spec of one table a multi-asset writes: its reads as dependencies, its
    column schema, owner and kinds."""
    return AssetSpec(
        table,
        group_name=group,
        deps=input_deps(inputs_class, table, outputs),
        kinds={*kinds, "table"},
        owners=OWNERS,
        metadata=table_definition(table),
        description=description,
    )
