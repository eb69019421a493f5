"""One run per cycle and warehouse: a second run of a cycle fails at once, naming the first.

PostgreSQL: a session-level advisory lock on (schema, cycle) held by a connection kept open
for the run, whose `application_name` carries the run id so the second run can name it. DuckDB
file: an exclusive `flock` on `<file>.<YYYY-MM>.lock`, which holds the pid, run id and start
time of the run. Both die with their process (PostgreSQL closes the session, the kernel drops
the flock), so a run killed hard leaves no stale lock; the lock file itself stays, harmless.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from sop_pipeline.io.run_tags import masked_url
from sop_pipeline.io.warehouse import Warehouse, WarehouseError
from sop_pipeline.io.write_lock import advisory_key

APPLICATION_PREFIX = "sop run "
# A run whose launcher holds its cycle's lock says so; the warehouse resource takes the lock
# itself for every other run of a cycle (launched from the UI, a schedule, a backfill)
CYCLE_LOCK_TAG = "sop/cycle_lock"
HELD_BY_RUNNER = "held by sop"
HOLDER_SQL = """
SELECT a.application_name, a.backend_start FROM pg_locks l JOIN pg_stat_activity a USING (pid)
WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
  AND l.classid = CAST(:space AS oid) AND l.objid = CAST(:cycle AS oid)
"""


class CycleBusy(WarehouseError):
    """Another run is writing this cycle to this warehouse."""


def _busy(warehouse: Warehouse, cycle: pd.Timestamp, holder: str) -> CycleBusy:
    return CycleBusy(
        f"cycle {cycle:%Y-%m} is already running against {masked_url(warehouse.url)} "
        f"(schema {warehouse.schema}): {holder}; wait for it to finish or stop it"
    )


@contextmanager
def cycle_lock(warehouse: Warehouse, cycle: pd.Timestamp, run_id: str) -> Iterator[None]:
    """Hold the cycle for one run; CycleBusy at once when another run holds it."""
    if warehouse.backend == "postgresql":
        with _postgres_lock(warehouse, cycle, run_id):
            yield
        return
    database = make_url(warehouse.url).database
    if database in (None, "", ":memory:"):  # no other process can see this warehouse
        yield
        return
    with _file_lock(warehouse, cycle, run_id, Path(f"{database}.{cycle:%Y-%m}.lock")):
        yield


@contextmanager
def _postgres_lock(warehouse: Warehouse, cycle: pd.Timestamp, run_id: str) -> Iterator[None]:
    keys = {"space": advisory_key("sop-run", warehouse.schema), "cycle": int(f"{cycle:%Y%m}")}
    engine = sa.create_engine(
        warehouse.url,
        poolclass=NullPool,
        isolation_level="AUTOCOMMIT",
        connect_args={"application_name": f"{APPLICATION_PREFIX}{run_id}"[:63]},
    )
    try:
        with engine.connect() as conn:
            taken = conn.execute(sa.text("SELECT pg_try_advisory_lock(:space, :cycle)"), keys)
            if not taken.scalar():
                holder = conn.execute(sa.text(HOLDER_SQL), keys).first()
                raise _busy(warehouse, cycle, _postgres_holder(*(holder or (None, None))))
            try:
                yield
            finally:
                conn.execute(sa.text("SELECT pg_advisory_unlock(:space, :cycle)"), keys)
    finally:
        engine.dispose()


def _postgres_holder(name: str | None, started: datetime | None) -> str:
    if started is None:  # released between the two queries
        return "another run (just finished)"
    run = name.removeprefix(APPLICATION_PREFIX) if name else "unknown"
    return f"run {run} since {started:%Y-%m-%d %H:%M:%S %Z}".strip()


@contextmanager
def _file_lock(
    warehouse: Warehouse, cycle: pd.Timestamp, run_id: str, path: Path
) -> Iterator[None]:
    import fcntl  # POSIX; imported here so the package still imports elsewhere

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise _busy(warehouse, cycle, _file_holder(handle)) from None
        try:
            _write_holder(handle, run_id)
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _write_holder(handle: IO[str], run_id: str) -> None:
    handle.truncate(0)
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    holder = {"run_id": run_id, "pid": os.getpid(), "host": socket.gethostname()}
    handle.write(json.dumps({**holder, "started": started}))
    handle.flush()


def _file_holder(handle: IO[str]) -> str:
    handle.seek(0)
    try:
        holder = json.loads(handle.read())
    except ValueError:  # the holder is between taking the lock and writing its name
        return "another run (starting)"
    return (
        f"run {holder.get('run_id')} (pid {holder.get('pid')} on {holder.get('host')}, "
        f"since {holder.get('started')})"
    )
