"""Shared resources: the warehouse, the export drop and the planning settings.

Nothing connects at import time. The warehouse URL comes from the resource config, else from
`SOP_WAREHOUSE_URL` read when a run starts, else the DuckDB file `sop.duckdb` in the working
directory.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
from dagster import ConfigurableResource
from pydantic import Field

from sop_pipeline.core.tables import OUTPUT_TABLES
from sop_pipeline.io.warehouse import (
    DEFAULT_SCHEMA,
    DEFAULT_URL,
    MAX_SCHEMA,
    TableWrite,
    Warehouse,
    WarehouseError,
    check_identifier,
)


class WarehouseResource(ConfigurableResource):  # type: ignore[misc]
    """The warehouse all assets read and write: one SQLAlchemy URL selects DuckDB or PostgreSQL."""

    url: str | None = Field(default=None, description="SQLAlchemy URL; else $SOP_WAREHOUSE_URL")
    schema_name: str | None = Field(
        default=None, description="schema of the pipeline's tables; else $SOP_SCHEMA, else sop"
    )

    def resolved_url(self) -> str:
        return self.url or os.environ.get("SOP_WAREHOUSE_URL") or DEFAULT_URL

    def resolved_schema(self) -> str:
        """The schema name, checked: a name that is no plain identifier fails here, naming
        where it came from, before it reaches any SQL."""
        if self.schema_name:
            return check_schema_name(self.schema_name, "the warehouse resource's schema_name")
        return check_schema_name(os.environ.get("SOP_SCHEMA") or DEFAULT_SCHEMA, "SOP_SCHEMA")

    def warehouse(self) -> Warehouse:
        return Warehouse(self.resolved_url(), self.resolved_schema())

    def read(self, table: str, cycle: pd.Timestamp, upto: bool = False) -> pd.DataFrame:
        """A contract table's rows of the cycle (or of every cycle up to it), without `cycle`
        unless `upto`."""
        columns = OUTPUT_TABLES[table].columns if table in OUTPUT_TABLES else None
        frame = self.warehouse().read(table, cycle, upto=upto, columns=columns)
        return frame if upto else frame.drop(columns="cycle", errors="ignore")

    def read_cycles(self, table: str, oldest: pd.Timestamp, newest: pd.Timestamp) -> pd.DataFrame:
        """A table's rows of the cycles `oldest` to `newest`, with `cycle` (none when `oldest`
        comes after `newest`)."""
        columns = OUTPUT_TABLES[table].columns if table in OUTPUT_TABLES else None
        return self.warehouse().read(table, newest, upto=True, columns=columns, since=oldest)

    def write(self, cycle: pd.Timestamp, **frames: pd.DataFrame) -> dict[str, int]:
        """Replace the cycle's rows of each named output table, all in one transaction."""
        writes = [
            TableWrite(name, OUTPUT_TABLES[name].columns, frame) for name, frame in frames.items()
        ]
        return self.warehouse().replace(cycle, writes)


def check_schema_name(name: str, source: str) -> str:
    """`name` if it is a valid schema name; else WarehouseError in one line naming `source`."""
    try:
        return check_identifier(name, "schema", MAX_SCHEMA)
    except WarehouseError as exc:
        raise WarehouseError(f"{source}: {exc}") from None


class ExportsResource(ConfigurableResource):  # type: ignore[misc]
    """Where the ERP/CRM export drops are: `<root>/<YYYY-MM>/` per cycle."""

    root: str = Field(default="exports", description="folder holding one drop folder per cycle")
    mapping: str = Field(
        default="", description="mapping file of the exports; empty: <root>/mapping.yaml if any"
    )

    def path(self) -> Path:
        return Path(self.root)


class PlanningSettings(ConfigurableResource):  # type: ignore[misc]
    """The knobs of a planning cycle, with the defaults planners expect."""

    horizon_months: int = Field(default=18, description="months planned from the cycle month on")
    season_length: int = Field(default=12, description="months in a seasonal cycle")
    frozen_months: int = Field(default=3, description="MPS months that are firm")
    reports_dir: str = Field(default="reports", description="where reports/<cycle>/ go")
