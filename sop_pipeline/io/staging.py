"""A cycle is published whole: a run stages its writes, and one transaction publishes them.

Inside a Dagster run every table write goes to the staging schema `<schema>_pending`, never to
the published `<schema>`; a marker row (`staged_writes`: cycle, table, run id) says which run
staged which table of which cycle. The run's own steps read their cycle from the staging schema
(tables they staged) and everything else from the published one (`read_staged`). dbt builds its
views and marts of the cycle in `<schema>_next_<YYYYMM>_*` over `overlay` views (the published
tables with this run's staged cycle in place of the published one), so its tests test exactly
what will be published. Once every step has succeeded, `publish_cycle` moves, in one
transaction, the staged rows of the cycle of every table the run wrote and the cycle's rows of
every mart into the published schemas (delete the cycle's rows, insert the new ones: linear in
the cycle's rows). A run that fails or is killed publishes nothing: readers of `<schema>` and
`<schema>_marts` keep the previous complete version. Staged rows left by a dead run are never
read (their marker names another run) and are dropped by the next publish of the cycle.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sop_pipeline.io.cycle_runs import set_status
from sop_pipeline.io.pause_points import pause_point
from sop_pipeline.io.warehouse import SQL_TYPES, TableWrite, Warehouse

STAGING_SUFFIX = "_pending"
MARKERS = "staged_writes"
MARKER_COLUMNS = {"cycle": "date", "table_name": "text", "run_id": "text"}
MARTS_LAYER = "marts"
DBT_LAYERS = ("", "_staging", "_intermediate", "_" + MARTS_LAYER)


def staging(warehouse: Warehouse) -> Warehouse:
    """The schema a run stages its writes in."""
    return warehouse.sibling(STAGING_SUFFIX)


def next_version(warehouse: Warehouse, cycle: pd.Timestamp) -> Warehouse:
    """The schema a run's dbt build of the cycle reads its sources from (the overlay views);
    its layers are this name with `_staging`, `_intermediate`, `_marts` appended."""
    return warehouse.sibling(f"_next_{cycle:%Y%m}")


def stage(warehouse: Warehouse, cycle: pd.Timestamp, writes: list[TableWrite], run_id: str) -> None:
    """Stage the cycle's rows of each table for run `run_id`, in one transaction. A table's
    first write of the run drops whatever an earlier run staged for the cycle."""
    pending = staging(warehouse)
    with pending.transaction(lock_schema=warehouse.schema) as conn:
        pending.ensure_table(conn, MARKERS, MARKER_COLUMNS)
        owners = _markers(pending, conn, cycle)
        for write in writes:
            pending.ensure_table(conn, write.table, write.columns)
            if owners.get(write.table) != run_id:
                pending.delete_rows(conn, write.table, {"cycle": cycle.date()})
                pending.delete_rows(
                    conn, MARKERS, {"cycle": cycle.date(), "table_name": write.table}
                )
                conn.execute(
                    sa.text(
                        f"INSERT INTO {pending.name(MARKERS)} (cycle, table_name, run_id) "
                        "VALUES (:cycle, :table, :run)"
                    ),
                    {"cycle": cycle.date(), "table": write.table, "run": run_id},
                )
                owners[write.table] = run_id
            pending.replace_rows(conn, cycle, write)
            pause_point(f"write:{write.table}")


def staged_cycles(warehouse: Warehouse, table: str, run_id: str) -> set[dt.date]:
    """The cycles of `table` that run `run_id` staged."""
    pending = staging(warehouse)
    if not pending.has_table(MARKERS):
        return set()
    with pending.connect() as conn:
        rows = conn.execute(
            sa.text(
                f"SELECT cycle FROM {pending.name(MARKERS)} "
                "WHERE table_name = :table AND run_id = :run"
            ),
            {"table": table, "run": run_id},
        )
        return {_as_date(row[0]) for row in rows}


def staged_tables(warehouse: Warehouse, cycle: pd.Timestamp, run_id: str) -> list[str]:
    """The tables run `run_id` staged for `cycle`, sorted."""
    pending = staging(warehouse)
    if not pending.has_table(MARKERS):
        return []
    with pending.connect() as conn:
        owners = _markers(pending, conn, cycle)
    return sorted(table for table, owner in owners.items() if owner == run_id)


def read_staged(
    warehouse: Warehouse,
    table: str,
    run_id: str,
    oldest: pd.Timestamp | None,
    newest: pd.Timestamp,
    columns: dict[str, str] | None,
) -> pd.DataFrame:
    """A table's rows of the cycles `oldest` (None: the first) to `newest`, with `cycle`, as
    run `run_id` sees them: the cycles it staged from the staging schema, the others published."""
    published = warehouse.read(table, newest, upto=True, columns=columns, since=oldest)
    mine = {
        cycle
        for cycle in staged_cycles(warehouse, table, run_id)
        if (oldest is None or cycle >= oldest.date()) and cycle <= newest.date()
    }
    if not mine:
        return published
    pending = staging(warehouse)
    kept = published
    if "cycle" in published.columns:
        kept = published[~pd.to_datetime(published["cycle"]).dt.date.isin(mine)]
    staged = [pending.read(table, pd.Timestamp(cycle), columns=columns) for cycle in sorted(mine)]
    frames = [frame for frame in [kept, *staged] if len(frame)]
    if not frames:
        return staged[0]
    return pd.concat(frames, ignore_index=True)


def create_overlay(
    warehouse: Warehouse,
    cycle: pd.Timestamp,
    run_id: str,
    tables: Mapping[str, Mapping[str, str]],
) -> str:
    """The schema `next_version` holding one view per table of `tables` ({name:
    {column: kind}}): the published rows with the cycles this run staged replaced by the staged
    ones, i.e. the warehouse as it will be once the run publishes. dbt's layers of an earlier
    attempt are dropped first. Returns the schema name."""
    overlay = next_version(warehouse, cycle)
    pending = staging(warehouse)
    staged_here = set(staged_tables(warehouse, cycle, run_id))
    drop_next_version(warehouse, cycle)
    with overlay.transaction(lock_schema=warehouse.schema) as conn:
        for table, columns in tables.items():
            mine = table in staged_here
            parts = []
            published = warehouse.existing_columns(conn, table)
            if published:
                where = " WHERE cycle <> :cycle" if mine else ""
                parts.append(_select(warehouse, table, columns, published, where))
            if mine:
                staged = pending.existing_columns(conn, table)
                parts.append(_select(pending, table, columns, staged, " WHERE cycle = :cycle"))
            if not parts:
                parts.append(_select(warehouse, table, columns, set(), ""))
            body = " UNION ALL ".join(parts).replace(":cycle", f"DATE '{cycle:%Y-%m-%d}'")
            conn.exec_driver_sql(f"CREATE VIEW {overlay.name(table)} AS {body}")
    _empty_marts(warehouse, overlay)
    return overlay.schema


def _empty_marts(warehouse: Warehouse, overlay: Warehouse) -> None:
    """An empty copy of every published mart in the next version's marts schema, so that dbt
    builds them incrementally: the window's cycles only, not the whole history again."""
    published = warehouse.sibling("_" + MARTS_LAYER)
    built = overlay.sibling("_" + MARTS_LAYER)
    with built.transaction(lock_schema=warehouse.schema) as conn:
        for mart in _tables(conn, published):
            conn.exec_driver_sql(
                f"CREATE TABLE {built.name(mart)} AS SELECT * FROM {published.name(mart)} "
                "WHERE FALSE"
            )


def _tables(conn: Connection, warehouse: Warehouse) -> list[str]:
    """The base tables of a schema, sorted."""
    rows = conn.execute(
        sa.text(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = :schema AND table_type = 'BASE TABLE'"
        ),
        {"schema": warehouse.schema},
    )
    return sorted(str(row[0]) for row in rows)


def drop_next_version(warehouse: Warehouse, cycle: pd.Timestamp) -> None:
    """Drop the schemas dbt built a run's version of the cycle in (views, marts)."""
    base = next_version(warehouse, cycle)
    with warehouse.connect() as conn:
        for layer in reversed(DBT_LAYERS):
            schema = base.sibling(layer)
            conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema.schema_sql()} CASCADE")


def publish_cycle(
    warehouse: Warehouse, cycle: pd.Timestamp, run_id: str, marts: Iterable[str]
) -> dict[str, int]:
    """Publish run `run_id`'s version of the cycle in one transaction: the staged rows of every
    table it staged, and the cycle's rows of every mart dbt built for it (a mart that rebuilds
    later cycles too replaces those). Then the cycle's staged rows and dbt schemas go. Returns
    {table or mart: rows published}."""
    pause_point("publish")
    pending = staging(warehouse)
    built = next_version(warehouse, cycle).sibling("_" + MARTS_LAYER)
    published_marts = warehouse.sibling("_" + MARTS_LAYER)
    this_cycle = f"cycle = DATE '{cycle:%Y-%m-%d}'"
    counts: dict[str, int] = {}
    with warehouse.transaction() as conn:
        owners = _markers(pending, conn, cycle)
        for table in sorted(t for t, owner in owners.items() if owner == run_id):
            counts[table] = _replace(conn, pending, warehouse, table, this_cycle, this_cycle)
        conn.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {published_marts.schema_sql()}")
        for mart in marts:
            if built.existing_columns(conn, mart):
                rebuilt = f"{this_cycle} OR cycle IN (SELECT cycle FROM {built.name(mart)})"
                counts[mart] = _replace(conn, built, published_marts, mart, rebuilt, "TRUE")
        for table in owners:
            if pending.existing_columns(conn, table):
                pending.delete_rows(conn, table, {"cycle": cycle.date()})
        if owners:
            pending.delete_rows(conn, MARKERS, {"cycle": cycle.date()})
        set_status(conn, warehouse, run_id, "published")
    pause_point("published")
    drop_next_version(warehouse, cycle)
    return counts


def _replace(
    conn: Connection, source: Warehouse, target: Warehouse, table: str, replaced: str, taken: str
) -> int:
    """Inside a transaction: the `replaced` rows of `target`'s table deleted and the `taken`
    rows of `source`'s copied in; the target table is created like the source's, or given the
    columns it lacks. Returns the rows copied."""
    columns = _column_types(conn, source, table)
    existing = target.existing_columns(conn, table)
    if not existing:
        conn.exec_driver_sql(
            f"CREATE TABLE {target.name(table)} AS SELECT * FROM {source.name(table)} WHERE FALSE"
        )
    for name, sql_type in columns.items():
        if existing and name not in existing:  # the contract was extended: keep the rows
            conn.exec_driver_sql(
                f"ALTER TABLE {target.name(table)} ADD COLUMN {target.column(name)} {sql_type}"
            )
    conn.exec_driver_sql(f"DELETE FROM {target.name(table)} WHERE {replaced}")
    names = ", ".join(target.column(c) for c in columns)
    taken_rows = f"FROM {source.name(table)} WHERE {taken}"
    conn.exec_driver_sql(f"INSERT INTO {target.name(table)} ({names}) SELECT {names} {taken_rows}")
    # DuckDB reports no row count for INSERT ... SELECT: count what was copied
    return int(conn.exec_driver_sql(f"SELECT COUNT(*) {taken_rows}").scalar_one())


def _column_types(conn: Connection, warehouse: Warehouse, table: str) -> dict[str, str]:
    """{column: SQL type} of a table dbt built, in column order ({} when there is none)."""
    rows = conn.execute(
        sa.text(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = :schema AND table_name = :table ORDER BY ordinal_position"
        ),
        {"schema": warehouse.schema, "table": table},
    )
    return {str(name): str(kind) for name, kind in rows}


def _markers(pending: Warehouse, conn: Connection, cycle: pd.Timestamp) -> dict[str, str]:
    """{table: run id} of the cycle's staged tables."""
    if not pending.existing_columns(conn, MARKERS):
        return {}
    rows = conn.execute(
        sa.text(f"SELECT table_name, run_id FROM {pending.name(MARKERS)} WHERE cycle = :cycle"),
        {"cycle": cycle.date()},
    )
    return {str(table): str(run) for table, run in rows}


def _select(
    warehouse: Warehouse, table: str, columns: Mapping[str, str], existing: set[str], where: str
) -> str:
    """SELECT of the contract's columns in contract order from the table (a column it lacks as
    a typed NULL), or no rows when it does not exist."""
    names = ", ".join(
        warehouse.column(c)
        if c in existing
        else f"CAST(NULL AS {SQL_TYPES[kind]}) AS {warehouse.column(c)}"
        for c, kind in columns.items()
    )
    if not existing:
        return f"SELECT {names} WHERE FALSE"
    return f"SELECT {names} FROM {warehouse.name(table)}{where}"


def _as_date(value: object) -> dt.date:
    return pd.Timestamp(value).date()  # type: ignore[arg-type]
