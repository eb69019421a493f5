"""The warehouse checked before a cycle starts: the schema name is an identifier, the server
answers within seconds, and the pipeline may create tables there. A mistake in the URL then
fails in seconds as the URL mistake it is, not a minute later as a failed cycle."""

from __future__ import annotations

import time

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from sop_pipeline.io.run_tags import mask_secrets, masked_url
from sop_pipeline.io.warehouse import (
    IDENTIFIER_RULE,
    MAX_SCHEMA,
    Warehouse,
    WarehouseError,
    check_identifier,
)

CONNECT_TIMEOUT_SECONDS = 5
PROBE_TABLE = "sop_write_check"  # never committed: rolled back


class WarehouseUnavailable(RuntimeError):
    """The warehouse cannot take a cycle; the message names the URL (password masked) and why."""


def check_warehouse(url: str, schema: str, timeout: int = CONNECT_TIMEOUT_SECONDS) -> float:
    """Raise WarehouseUnavailable unless `schema` at `url` is reachable and writable; return the
    seconds the check took. The probe table is created in a transaction that is rolled back."""
    shown = masked_url(url)
    try:
        check_identifier(schema, "schema name", MAX_SCHEMA)
    except WarehouseError as exc:
        raise WarehouseUnavailable(
            f"schema name {schema!r} is not valid: {IDENTIFIER_RULE}, at most {MAX_SCHEMA} "
            "characters (set SOP_SCHEMA)"
        ) from exc
    started = time.perf_counter()
    target = Warehouse(url, schema)
    engine = sa.create_engine(url, poolclass=NullPool, connect_args=_timeout_args(url, timeout))
    try:
        target.make_folder()
        with engine.connect() as conn, conn.begin() as transaction:
            conn.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {target.schema_sql()}")
            conn.exec_driver_sql(f"CREATE TABLE {target.name(PROBE_TABLE)} (probe INTEGER)")
            transaction.rollback()
    except Exception as exc:
        raise WarehouseUnavailable(
            f"warehouse {shown} is not usable: {_reason(exc, url)}"
            f" (after {time.perf_counter() - started:.1f} s)"
        ) from None  # the driver's chain may hold the URL with its password
    finally:
        engine.dispose()
    return time.perf_counter() - started


def _timeout_args(url: str, timeout: int) -> dict[str, int]:
    """A connect timeout for servers (both PostgreSQL drivers take libpq's connect_timeout)."""
    return {"connect_timeout": timeout} if make_url(url).get_backend_name() == "postgresql" else {}


def _reason(exc: Exception, url: str) -> str:
    """The driver's own first line (SQLAlchemy wraps it with a link and the SQL)."""
    original = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(original).splitlines() if line.strip()]
    reason = next((line for line in lines if not line.startswith("(Background")), "")
    return mask_secrets(f"{type(original).__name__}: {reason}", url)
