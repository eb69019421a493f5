"""One writer at a time per warehouse schema, for the length of one `replace` transaction.

PostgreSQL: a transaction-level advisory lock on the schema, taken as the transaction's first
statement, so a second writer waits until the first has committed and then sees its rows (and
its tables). DuckDB file: an exclusive `flock` on `<file>.write.lock`, held while the connection
is open, which orders writers in this process (threads) and in others alike; the kernel drops it
when a process dies, so it is never stale. In-memory DuckDB: a lock of this process.
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, make_url

_IN_MEMORY = threading.Lock()


def advisory_key(*parts: str) -> int:
    """A stable, non-negative 31-bit key for PostgreSQL's two-key advisory locks (pg_locks
    shows keys as unsigned oids; a non-negative key reads back as itself)."""
    return zlib.crc32("\x1f".join(parts).encode()) & 0x7FFFFFFF


class SchemaWriteLock:
    """Taken on the replace's connection: a no-op but on PostgreSQL, where it is a transaction
    lock released at commit or rollback."""

    def __init__(self, backend: str, schema: str) -> None:
        self.backend = backend
        self.schema = schema

    def take(self, conn: Connection) -> None:
        if self.backend == "postgresql":
            # key space "write" (the run lock uses "run"): a run holding its cycle lock on one
            # session still writes through other sessions
            conn.execute(
                sa.text("SELECT pg_advisory_xact_lock(:space, :schema)"),
                {"space": advisory_key("sop-write"), "schema": advisory_key(self.schema)},
            )


@contextmanager
def serialised_writes(url: str, schema: str) -> Iterator[SchemaWriteLock]:
    """Hold the DuckDB side of the write lock around a replace; PostgreSQL's is taken by
    `SchemaWriteLock.take` inside the transaction."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    lock = SchemaWriteLock(backend, schema)
    if backend != "duckdb":
        yield lock
        return
    if parsed.database in (None, "", ":memory:"):
        with _IN_MEMORY:
            yield lock
        return
    with file_lock(Path(f"{parsed.database}.write.lock")):
        yield lock


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive flock on `path` (created if absent), waiting for it; POSIX only."""
    import fcntl  # POSIX; imported here so the package still imports elsewhere

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
