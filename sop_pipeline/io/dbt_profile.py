"""dbt's profile follows the warehouse URL: the URL as the variables profiles.yml reads.

`dbt_project/profiles.yml` has one output per backend (`duckdb`, `postgres`) and reads every
setting with `env_var`. This module is the only place that knows how a SQLAlchemy URL maps onto
those variables, so the Python assets and dbt always point at the same warehouse and schema.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from sop_pipeline.io.warehouse import MAX_NAME, check_identifier

DEFAULT_PG_PORT = 5432
DEFAULT_PG_HOST = "localhost"
DEFAULT_PG_SSLMODE = "prefer"  # libpq's default


def dbt_env(url: str, schema: str) -> dict[str, str]:
    """The environment variables that point dbt's profile at the warehouse `url` and `schema`.

    DuckDB paths are made absolute (dbt runs in its project folder, not the caller's working
    directory). Raises ValueError for a URL that is not DuckDB or PostgreSQL, or an in-memory
    DuckDB that no second process could see.
    """
    try:
        parsed = make_url(url)
    except Exception as exc:
        raise ValueError(f"not a SQLAlchemy URL: {url!r}") from exc
    backend = parsed.get_backend_name()
    if backend == "duckdb":
        return {
            "SOP_DBT_TARGET": "duckdb",
            "SOP_DUCKDB_PATH": _duckdb_path(parsed, url),
            **_schema(schema),
        }
    if backend == "postgresql":
        return {"SOP_DBT_TARGET": "postgres", **_postgres(parsed, url), **_schema(schema)}
    raise ValueError(
        f"dbt cannot build the reporting models on {backend!r} ({url!r}): the dbt profile has "
        "targets for duckdb:///path.duckdb and postgresql+psycopg://user@host:5432/db only"
    )


def cycle_window_env(start: dt.date, end: dt.date) -> dict[str, str]:
    """The environment variables that tell the per-cycle marts which cycles to rebuild: those
    from `start` up to, not including, `end` (a partition's time window). Environment variables
    rather than `--vars`: dbt re-parses the whole project whenever `--vars` change, while these
    are read only at run time (see dbt_project/macros/cycle_window.sql)."""
    if end <= start:
        raise ValueError(f"empty cycle window: {start:%Y-%m-%d} to {end:%Y-%m-%d}")
    return {"SOP_DBT_CYCLE_START": f"{start:%Y-%m-%d}", "SOP_DBT_CYCLE_END": f"{end:%Y-%m-%d}"}


def dbt_executable() -> str:
    """The dbt installed beside this Python (a virtualenv's bin/ is often not on PATH), through
    `sop-dbt` where it is installed too, so that dbt dies with its run; else the dbt on PATH."""
    folder = Path(sys.executable).parent
    bound, sibling = folder / "sop-dbt", folder / ("dbt.exe" if sys.platform == "win32" else "dbt")
    if bound.exists() and sibling.exists():
        return str(bound)
    if sibling.exists():
        return str(sibling)
    return shutil.which("dbt") or "dbt"


def _schema(schema: str) -> dict[str, str]:
    # dbt formats the name into its SQL: only a plain identifier may reach it, short enough for
    # dbt's layers (<schema>_intermediate); a run's next version is longer than the schema
    layers = MAX_NAME - len("_intermediate")
    return {"SOP_SCHEMA": check_identifier(schema, "warehouse schema", layers)}


def _duckdb_path(parsed: URL, url: str) -> str:
    database = parsed.database
    if database in (None, "", ":memory:"):
        raise ValueError(f"dbt needs a DuckDB file, not an in-memory database: {url!r}")
    return os.path.abspath(Path(str(database)).expanduser())


def _postgres(parsed: URL, url: str) -> dict[str, str]:
    if not parsed.database:
        raise ValueError(f"the PostgreSQL URL names no database: {url!r}")
    env = {
        "SOP_PG_HOST": parsed.host or DEFAULT_PG_HOST,
        "SOP_PG_PORT": str(parsed.port or DEFAULT_PG_PORT),
        "SOP_PG_USER": parsed.username or "postgres",
        "SOP_PG_PASSWORD": parsed.password or "",
        "SOP_PG_DBNAME": parsed.database,
    }
    sslmode = parsed.query.get("sslmode")
    env["SOP_PG_SSLMODE"] = sslmode if isinstance(sslmode, str) else DEFAULT_PG_SSLMODE
    return env
