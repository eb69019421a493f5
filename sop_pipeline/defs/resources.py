"""Shared resources: the warehouse, the export drop and the planning settings.

Nothing connects at import time. The warehouse URL comes from the resource config, else from
`SOP_WAREHOUSE_URL` read when a run starts, else the DuckDB file `sop.duckdb` in the working
directory. Inside a run of a cycle the warehouse stages every write and reads the cycle back as
the run wrote it (sop_pipeline/io/staging.py); the `publish` step makes it visible, whole.
Outside a run (a script, `sop approve`) writes go straight to the published tables.
"""

from __future__ import annotations

import os
from contextlib import ExitStack
from pathlib import Path

import pandas as pd
from dagster import ConfigurableResource, InitResourceContext
from pydantic import Field, PrivateAttr

from sop_pipeline.core.tables import OUTPUT_TABLES
from sop_pipeline.defs.cycle_order import check_backfill_run
from sop_pipeline.defs.partitions import FIRST_CYCLE
from sop_pipeline.io.child_processes import bind_forked_children
from sop_pipeline.io.cycle_lock import CYCLE_LOCK_TAG, HELD_BY_RUNNER, cycle_lock
from sop_pipeline.io.cycle_runs import previous_cycle_warning, record_started
from sop_pipeline.io.run_tags import CODE_VERSION_TAG, code_version, masked_url
from sop_pipeline.io.staging import read_staged, stage
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

    _run_id: str | None = PrivateAttr(default=None)
    _held: ExitStack | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        """In a run of a cycle: refuse it if it is a backfill's run that must not start (an
        earlier cycle of the backfill not published, an asset backfill's part of a cycle), hold
        the cycle's lock (unless `sop` holds it for the run), stage the run's writes, record the
        run in `cycle_runs`, and warn when the previous cycle is not complete. The job runs in
        one process (in_process_executor), so this happens once per run and the lock spans the
        run."""
        run = context.dagster_run
        if run is not None:
            check_backfill_run(context.instance, run)
        partition = run.tags.get("dagster/partition") if run is not None else None
        if run is None or partition is None:
            return
        cycle = pd.Timestamp(partition)
        if run.tags.get(CYCLE_LOCK_TAG) != HELD_BY_RUNNER:
            self._held = ExitStack()
            self._held.enter_context(cycle_lock(self.warehouse(), cycle, run.run_id))
        self._run_id = run.run_id
        bind_forked_children()  # statsforecast's workers die with the run, even on kill -9
        record_started(
            self.warehouse(),
            run.run_id,
            cycle,
            masked_url(self.resolved_url()),
            run.tags.get(CODE_VERSION_TAG) or code_version(),
        )
        warning = previous_cycle_warning(self.warehouse(), cycle) if cycle > FIRST_CYCLE else None
        if warning is not None and context.log is not None:
            context.log.warning(warning)

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        if self._held is not None:
            self._held.close()
            self._held = None

    @property
    def run_id(self) -> str | None:
        """The run whose writes this resource stages (None outside a run of a cycle)."""
        return self._run_id

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
        frame = self._rows(table, None if upto else cycle, cycle)
        return frame if upto else frame.drop(columns="cycle", errors="ignore")

    def read_cycles(self, table: str, oldest: pd.Timestamp, newest: pd.Timestamp) -> pd.DataFrame:
        """A table's rows of the cycles `oldest` to `newest`, with `cycle` (none when `oldest`
        comes after `newest`)."""
        return self._rows(table, oldest, newest)

    def _rows(self, table: str, oldest: pd.Timestamp | None, newest: pd.Timestamp) -> pd.DataFrame:
        columns = OUTPUT_TABLES[table].columns if table in OUTPUT_TABLES else None
        warehouse = self.warehouse()
        if self._run_id is None:
            if oldest is not None and oldest == newest:
                return warehouse.read(table, newest, columns=columns)
            return warehouse.read(table, newest, upto=True, columns=columns, since=oldest)
        return read_staged(warehouse, table, self._run_id, oldest, newest, columns)

    def write(self, cycle: pd.Timestamp, **frames: pd.DataFrame) -> dict[str, int]:
        """Replace the cycle's rows of each named output table, all in one transaction."""
        writes = [
            TableWrite(name, OUTPUT_TABLES[name].columns, frame) for name, frame in frames.items()
        ]
        return self.write_tables(cycle, writes)

    def write_tables(self, cycle: pd.Timestamp, writes: list[TableWrite]) -> dict[str, int]:
        """Replace the cycle's rows of each table (within its scope) in one transaction: staged
        in a run of a cycle, published outside one."""
        if self._run_id is None:
            return self.warehouse().replace(cycle, writes)
        stage(self.warehouse(), cycle, writes, self._run_id)
        return {w.table: len(w.frame) for w in writes}


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
