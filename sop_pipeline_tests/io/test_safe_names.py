"""Schema and table names reach SQL only as checked identifiers, quoted by the dialect."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from sop_pipeline.core.tables import OUTPUT_TABLES
from sop_pipeline.defs.resources import WarehouseResource
from sop_pipeline.io.dbt_profile import dbt_env
from sop_pipeline.io.warehouse import TableWrite, Warehouse, WarehouseError

CYCLE = pd.Timestamp("2026-11-01")
PAYLOAD = 'sop"; COMMIT; DROP TABLE public.victim; --'
INVALID = [PAYLOAD, "Sop", "1sop", "sop-marts", "", "s" * 60, "sop.x"]


@pytest.mark.parametrize("schema", INVALID)
def test_an_invalid_schema_name_is_refused_before_any_sql(schema: str, tmp_path: Path) -> None:
    with pytest.raises(WarehouseError, match="not a valid name"):
        Warehouse(f"duckdb:///{tmp_path / 'w.duckdb'}", schema=schema)
    with pytest.raises(ValueError, match="not a valid name"):
        dbt_env(f"duckdb:///{tmp_path / 'w.duckdb'}", schema)
    assert not (tmp_path / "w.duckdb").exists()


def test_an_invalid_sop_schema_fails_in_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SOP_SCHEMA", PAYLOAD)
    with pytest.raises(WarehouseError) as raised:
        WarehouseResource(url=f"duckdb:///{tmp_path / 'w.duckdb'}").warehouse()
    message = str(raised.value)
    assert message.startswith("SOP_SCHEMA: ") and "\n" not in message and PAYLOAD in message


def test_an_invalid_table_name_is_refused(tmp_path: Path) -> None:
    warehouse = Warehouse(f"duckdb:///{tmp_path / 'w.duckdb'}")
    warehouse.replace(CYCLE, [TableWrite("mps", OUTPUT_TABLES["mps"].columns, pd.DataFrame())])
    with pytest.raises(WarehouseError, match="table"):
        warehouse.read('mps"; DROP TABLE sop.mps; --')


BACKENDS = ["duckdb", pytest.param("postgresql", marks=pytest.mark.integration)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_reserved_word_is_a_valid_schema_quoted_by_the_dialect(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    if backend == "postgresql":
        url = request.getfixturevalue("postgres_url")
    warehouse = Warehouse(url, schema="select")
    frame = pd.DataFrame({"sku": ["A"], "month": [CYCLE], "quantity": [1.0], "firm": [True]})
    warehouse.replace(CYCLE, [TableWrite("mps", OUTPUT_TABLES["mps"].columns, frame)])
    assert warehouse.read("mps", CYCLE)["sku"].tolist() == ["A"]


@pytest.mark.integration
def test_the_injection_payload_drops_nothing_on_postgresql(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = sa.create_engine(postgres_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS public.victim (x int)")
    monkeypatch.setenv("SOP_SCHEMA", PAYLOAD)
    resource = WarehouseResource(url=postgres_url)
    with pytest.raises(WarehouseError, match="SOP_SCHEMA"):
        resource.write(CYCLE, mps=pd.DataFrame())
    with pytest.raises(WarehouseError, match="SOP_SCHEMA"):
        resource.read("mps", CYCLE)
    with pytest.raises(WarehouseError):
        Warehouse(postgres_url, schema=PAYLOAD)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT to_regclass('public.victim')").scalar() is not None
    engine.dispose()


def test_the_injection_payload_drops_nothing_on_duckdb(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE main.victim (x int)")
    engine.dispose()
    monkeypatch.setenv("SOP_SCHEMA", PAYLOAD)
    resource = WarehouseResource(url=url)
    with pytest.raises(WarehouseError, match="SOP_SCHEMA"):
        resource.write(CYCLE, mps=pd.DataFrame())
    with pytest.raises(WarehouseError, match="SOP_SCHEMA"):
        resource.read("mps", CYCLE)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        tables = conn.exec_driver_sql("SELECT table_name FROM information_schema.tables")
        assert [row[0] for row in tables] == ["victim"]
    engine.dispose()
