"""The production Dagster instance (dagster.prod.yaml) for real: a cycle's run on the local
PostgreSQL server, its run, tags and materialisations found in that storage."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from dagster import AssetKey, DagsterInstance
from sqlalchemy.engine import make_url

from sop_pipeline.definitions import PROJECT_ROOT
from sop_pipeline.io.run_tags import CODE_VERSION_TAG, WAREHOUSE_TAG, run_tags
from sop_pipeline.runner import CycleOptions, cycle_job, run_cycle

pytestmark = pytest.mark.integration
COLLECTED = ["items", "budget", "resources", "scenarios"]


@pytest.fixture
def dagster_storage_db(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh database for Dagster's storage, named to dagster.prod.yaml by DAGSTER_PG_*."""
    server = make_url(postgres_url)
    name = f"dagster_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    for variable, value in {
        "DAGSTER_PG_USERNAME": server.username or "postgres",
        "DAGSTER_PG_PASSWORD": server.password or "unused-with-trust-auth",
        "DAGSTER_PG_HOST": server.host or "127.0.0.1",
        "DAGSTER_PG_PORT": str(server.port or 5432),
        "DAGSTER_PG_DB": name,
    }.items():
        monkeypatch.setenv(variable, value)
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def test_a_cycle_run_and_its_materialisations_land_in_postgresql_storage(
    demo_exports: Path, tmp_path: Path, dagster_storage_db: str
) -> None:
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(PROJECT_ROOT / "dagster.prod.yaml", home / "dagster.yaml")
    instance = DagsterInstance.from_config(str(home))
    assert type(instance.run_storage).__name__ == "PostgresRunStorage"
    warehouse = f"duckdb:///{tmp_path / 'w.duckdb'}"
    job = cycle_job(CycleOptions(exports=demo_exports, warehouse_url=warehouse))
    partial = job.get_subset(asset_selection={AssetKey(name) for name in COLLECTED})
    result = run_cycle(pd.Timestamp("2026-11-01"), partial, instance, tags=run_tags(warehouse))
    assert result.success
    engine = sa.create_engine(dagster_storage_db)
    with engine.connect() as conn:
        runs = conn.exec_driver_sql("SELECT run_id, status FROM runs").all()
        materialised = conn.exec_driver_sql(
            "SELECT asset_key FROM event_logs WHERE run_id = %(run)s "
            "AND dagster_event_type = 'ASSET_MATERIALIZATION'",
            {"run": result.run_id},
        ).all()
        tags = dict(
            conn.exec_driver_sql(
                "SELECT key, value FROM run_tags WHERE run_id = %(run)s", {"run": result.run_id}
            ).all()
        )
    engine.dispose()
    assert runs == [(result.run_id, "SUCCESS")]
    assert sorted(AssetKey.from_db_string(key).path[-1] for (key,) in materialised) == sorted(
        COLLECTED
    )
    assert tags[WAREHOUSE_TAG] == warehouse and tags[CODE_VERSION_TAG].startswith("0.")
    assert tags["dagster/partition"] == "2026-11-01"
    record = instance.get_latest_materialization_event(AssetKey("items"))
    assert record is not None and record.run_id == result.run_id
