"""The warehouse: DuckDB file by default, PostgreSQL in production, one SQLAlchemy URL.

Tables live in one schema and are written per cycle: `replace` deletes the cycle's rows of every
table it is given and inserts the new ones in one transaction, so a re-run or backfill of a
partition never duplicates rows. Inside a run of a cycle the pipeline does not call `replace` on
the published schema: it stages its writes and publishes the cycle whole (io/staging.py).
Connections are opened per call and closed after it, because DuckDB allows one writing process
per file (dbt runs next).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.pool import NullPool

from sop_pipeline.io.values import dates_as_timestamps, driver_rows, empty_frame
from sop_pipeline.io.write_lock import serialised_writes

DEFAULT_URL = "duckdb:///sop.duckdb"
DEFAULT_SCHEMA = "sop"
SQL_TYPES = {
    "text": "TEXT",
    "float": "DOUBLE PRECISION",
    "int": "BIGINT",
    "date": "DATE",
    "bool": "BOOLEAN",
    "timestamp": "TIMESTAMP",
}
SUPPORTED_BACKENDS = ("duckdb", "postgresql")
# lowercase so PostgreSQL and DuckDB fold it the same; a name is checked before it reaches SQL
# and quoted there by the dialect all the same
IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
IDENTIFIER_RULE = "use lowercase letters, digits and _, starting with a letter or _"
MAX_NAME = 63  # PostgreSQL truncates longer names
# a run builds dbt's layers in <schema>_next_<YYYYMM>_<layer> (io/staging.py) before it publishes
MAX_SCHEMA = MAX_NAME - len("_next_202611_intermediate")


class WarehouseError(ValueError):
    """The warehouse URL names something this pipeline cannot write to."""


@dataclass(frozen=True)
class TableWrite:
    """Rows to put in `table` for one cycle; `scope` narrows what is replaced (e.g. one file)."""

    table: str
    columns: dict[str, str]
    frame: pd.DataFrame
    scope: dict[str, str] = field(default_factory=dict)


def check_identifier(name: str, what: str = "schema", max_length: int = MAX_NAME) -> str:
    """The name itself if it is a safe SQL identifier (lowercase letters, digits, `_`, not
    starting with a digit, at most `max_length` characters); else WarehouseError naming
    `what`."""
    if not isinstance(name, str) or not IDENTIFIER.match(name) or len(name) > max_length:
        raise WarehouseError(
            f"{what} {name!r} is not a valid name: {IDENTIFIER_RULE}, "
            f"at most {max_length} characters"
        )
    return name


def check_url(url: str) -> str:
    """The URL itself if it names a supported warehouse with its driver; else WarehouseError."""
    try:
        backend = make_url(url).get_backend_name()
    except Exception as exc:
        raise WarehouseError(f"not a SQLAlchemy URL: {url!r}") from exc
    if backend not in SUPPORTED_BACKENDS:
        raise WarehouseError(
            f"unsupported warehouse {backend!r} in {url!r}: use duckdb:///path.duckdb or "
            "postgresql+psycopg://user@host:5432/db"
        )
    return url


class Warehouse:
    """Read and write the pipeline's tables in one schema of the warehouse at `url`."""

    def __init__(
        self, url: str = DEFAULT_URL, schema: str = DEFAULT_SCHEMA, max_schema: int = MAX_SCHEMA
    ) -> None:
        self.url = check_url(url)
        self.schema = check_identifier(schema, "warehouse schema", max_schema)
        self.backend = make_url(url).get_backend_name()
        self._quote = make_url(url).get_dialect()().identifier_preparer.quote_identifier
        self._catalog = _catalog_prefix(url, self._quote) if self.backend == "duckdb" else ""

    def sibling(self, suffix: str) -> Warehouse:
        """The same warehouse, schema `<schema><suffix>` (the pipeline's own derived schemas)."""
        return type(self)(self.url, self.schema + suffix, max_schema=MAX_NAME)

    def make_folder(self) -> None:
        """The folder of a DuckDB file, created before its first connection."""
        database = make_url(self.url).database
        if self.backend == "duckdb" and database not in (None, "", ":memory:"):
            Path(str(database)).parent.mkdir(parents=True, exist_ok=True)

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """One transaction on a fresh connection, closed (and the file released) afterwards."""
        self.make_folder()
        engine = sa.create_engine(make_url(self.url), poolclass=NullPool)
        try:
            with engine.begin() as conn:
                yield conn
        finally:
            engine.dispose()

    def replace(self, cycle: pd.Timestamp, writes: list[TableWrite]) -> dict[str, int]:
        """Replace the cycle's rows of each table (within its scope) in one transaction.

        Writes to one schema are serialised (an advisory transaction lock on PostgreSQL, a file
        lock beside a DuckDB file), so overlapping replaces of a cycle never duplicate its rows
        and two writers never race to create the same table."""
        with self.transaction() as conn:
            for write in writes:
                self.replace_rows(conn, cycle, write)
        return {w.table: len(w.frame) for w in writes}

    @contextmanager
    def transaction(self, lock_schema: str | None = None) -> Iterator[Connection]:
        """One writing transaction, serialised with every other writer of `lock_schema` (this
        schema by default), the schema created."""
        with (
            serialised_writes(self.url, lock_schema or self.schema) as lock,
            self.connect() as conn,
        ):
            lock.take(conn)
            conn.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {self._quote(self.schema)}")
            yield conn

    def replace_rows(self, conn: Connection, cycle: pd.Timestamp, write: TableWrite) -> None:
        """Inside `transaction`: the cycle's rows of one table (within its scope) replaced."""
        self.ensure_table(conn, write.table, write.columns)
        self.delete_rows(conn, write.table, {"cycle": cycle.date(), **write.scope})
        self._insert(conn, write.table, driver_rows(write.frame, cycle, write.columns))

    def delete_rows(self, conn: Connection, table: str, where: dict[str, object]) -> None:
        """Delete the rows of `table` whose columns equal `where`'s values."""
        condition = " AND ".join(f"{self.column(k)} = :{k}" for k in where) or "TRUE"
        conn.execute(sa.text(f"DELETE FROM {self.name(table)} WHERE {condition}"), where)

    def read(
        self,
        table: str,
        cycle: pd.Timestamp | None = None,
        upto: bool = False,
        columns: dict[str, str] | None = None,
        since: pd.Timestamp | None = None,
    ) -> pd.DataFrame:
        """Rows of `table`: of one cycle, of every cycle up to it (`upto`, from `since` on when
        given), or all; dates as Timestamps. A table never written reads as empty (with
        `columns` when given)."""
        if not self.has_table(table):
            return empty_frame(columns or {})
        sql, params = f"SELECT * FROM {self.name(table)}", {}
        if cycle is not None:
            sql += ' WHERE "cycle" <= :cycle' if upto else ' WHERE "cycle" = :cycle'
            params = {"cycle": cycle.date()}
            if upto and since is not None:
                sql += ' AND "cycle" >= :since'
                params["since"] = since.date()
        with self.connect() as conn:
            frame = pd.read_sql(sa.text(sql), conn, params=params)
        return dates_as_timestamps(frame)

    def has_table(self, table: str) -> bool:
        check_identifier(table, "table")
        with self.connect() as conn:
            return bool(self.existing_columns(conn, table))

    def existing_columns(self, conn: Connection, table: str) -> set[str]:
        # information_schema rather than SQLAlchemy's inspector: duckdb-engine's inspector
        # queries pg_catalog tables DuckDB does not have
        rows = conn.execute(
            sa.text(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = :schema AND table_name = :table"
            ),
            {"schema": self.schema, "table": table},
        )
        return {row[0] for row in rows}

    def name(self, table: str) -> str:
        """`table` of this schema as SQL: checked, quoted, qualified (with DuckDB's catalog)."""
        table = check_identifier(table, "table")
        return f"{self.schema_sql()}.{self._quote(table)}"

    def schema_sql(self) -> str:
        """This schema as SQL, quoted and qualified."""
        return f"{self._catalog}{self._quote(self.schema)}"

    def column(self, column: str) -> str:
        """A column name as SQL: checked and quoted."""
        return self._quote(check_identifier(column, "column"))

    def ensure_table(self, conn: Connection, table: str, columns: dict[str, str]) -> None:
        """`table` exists with at least `columns` (kind names of SQL_TYPES)."""
        existing = self.existing_columns(conn, table)
        if not existing:
            body = ", ".join(f"{self.column(c)} {SQL_TYPES[t]}" for c, t in columns.items())
            conn.exec_driver_sql(f"CREATE TABLE IF NOT EXISTS {self.name(table)} ({body})")
            return
        for name, kind in columns.items():
            if name not in existing:  # the contract was extended: add the column, keep the rows
                conn.exec_driver_sql(
                    f"ALTER TABLE {self.name(table)} ADD COLUMN {self.column(name)} "
                    f"{SQL_TYPES[kind]}"
                )

    def _insert(self, conn: Connection, table: str, frame: pd.DataFrame) -> None:
        if frame.empty:
            return
        names = ", ".join(self.column(str(c)) for c in frame.columns)
        driver = conn.connection.driver_connection
        if self.backend == "duckdb":
            driver.register("incoming_rows", frame)  # type: ignore[union-attr]
            conn.exec_driver_sql(
                f"INSERT INTO {self.name(table)} ({names}) SELECT {names} FROM incoming_rows"
            )
            driver.unregister("incoming_rows")  # type: ignore[union-attr]
            return
        with driver.cursor() as cursor:  # type: ignore[union-attr]
            copy_sql = f"COPY {self.name(table)} ({names}) FROM STDIN"
            with cursor.copy(copy_sql) as copy:
                for row in frame.itertuples(index=False, name=None):
                    copy.write_row(row)


def _catalog_prefix(url: str, quote: Callable[[str], str]) -> str:
    """DuckDB names a file's catalog after its stem: `sop.duckdb` and schema `sop` would make
    `"sop"."t"` ambiguous, so DuckDB names are qualified with the catalog too."""
    database = make_url(url).database
    return quote(Path(database).stem if database and database != ":memory:" else "memory") + "."
