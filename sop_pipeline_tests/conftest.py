"""Shared fixtures: a throwaway PostgreSQL database per test session."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _server_url() -> str | None:
    """The test PostgreSQL server: $SOP_TEST_PG_URL, the local one, or one started by pgserver."""
    url = os.environ.get("SOP_TEST_PG_URL", DEFAULT_PG_URL)
    try:
        engine = sa.create_engine(url)
        with engine.connect():
            pass
        engine.dispose()
        return url
    except Exception as exc:  # no server here: try an embedded one
        print(f"PostgreSQL at {url} unreachable ({exc.__class__.__name__}); trying pgserver")
    try:
        import pgserver  # type: ignore[import-not-found]

        server = pgserver.get_server(os.path.join(os.getcwd(), ".pgserver"), cleanup_mode="stop")
        return server.get_uri().replace("postgresql://", "postgresql+psycopg://")
    except Exception as exc:
        print(f"pgserver unavailable ({exc})")
        return None


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """URL of a fresh database, dropped at the end of the session."""
    server = _server_url()
    if server is None:
        pytest.skip("no PostgreSQL server reachable and pgserver could not start one")
    name = f"sop_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield make_url(server).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(scope="session")
def demo_exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo company's export drops (40 SKUs, 30 months, newest cycle 2026-11), with a
    full-history drop at 2026-10 and poisoned sales lines in the newest drops."""
    from sop_pipeline.demo import write_demo_exports

    root = tmp_path_factory.mktemp("exports")
    write_demo_exports(
        root, last_cycle="2026-11", months=30, n_skus=40, seed=11, full_history_at="2026-10"
    )
    return root
