"""The warehouse on DuckDB and PostgreSQL: replace per cycle, scope, types, errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sop_pipeline.core.tables import OUTPUT_TABLES
from sop_pipeline.io.warehouse import TableWrite, Warehouse, WarehouseError, check_url

CYCLE = pd.Timestamp("2026-11-01")


@pytest.fixture(params=["duckdb", pytest.param("postgresql", marks=pytest.mark.integration)])
def warehouse(request: pytest.FixtureRequest, tmp_path: Path) -> Warehouse:
    if request.param == "duckdb":
        return Warehouse(f"duckdb:///{tmp_path / 'w.duckdb'}", schema="sop")
    url = request.getfixturevalue("postgres_url")
    return Warehouse(url, schema=f"t_{tmp_path.name[-20:].lower().replace('-', '_')}")


def _mps(quantity: float) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sku": ["A", "B"],
            "month": [CYCLE, CYCLE],
            "quantity": [quantity, None],
            "firm": [True, False],
        }
    )


def test_rewriting_a_cycle_replaces_its_rows_and_keeps_others(warehouse: Warehouse) -> None:
    columns = OUTPUT_TABLES["mps"].columns
    earlier = CYCLE - pd.DateOffset(months=1)
    warehouse.replace(earlier, [TableWrite("mps", columns, _mps(1.0))])
    warehouse.replace(CYCLE, [TableWrite("mps", columns, _mps(2.0))])
    warehouse.replace(CYCLE, [TableWrite("mps", columns, _mps(3.0))])
    rows = warehouse.read("mps", CYCLE)
    assert len(rows) == 2 and rows["quantity"].dropna().tolist() == [3.0]
    assert rows["month"].dtype.kind == "M" and rows["firm"].tolist() == [True, False]
    assert len(warehouse.read("mps", CYCLE, upto=True)) == 4


def test_scope_limits_what_is_replaced(warehouse: Warehouse) -> None:
    columns = OUTPUT_TABLES["quarantine"].columns

    def rows(entity: str) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "entity": [entity],
                "source_file": ["f"],
                "row_number": [2],
                "column": ["c"],
                "rule": ["r"],
                "value": ["v"],
                "raw_record": ["{}"],
            }
        )

    for entity in ["items", "sales_history", "items"]:
        warehouse.replace(
            CYCLE, [TableWrite("quarantine", columns, rows(entity), scope={"entity": entity})]
        )
    assert sorted(warehouse.read("quarantine", CYCLE)["entity"]) == ["items", "sales_history"]


def test_a_failed_write_leaves_the_cycle_untouched(warehouse: Warehouse) -> None:
    columns = OUTPUT_TABLES["mps"].columns
    warehouse.replace(CYCLE, [TableWrite("mps", columns, _mps(1.0))])
    broken = TableWrite("supply_plan", {"cycle": "date", "sku": "nosuchtype"}, _mps(0.0))
    with pytest.raises(KeyError):
        warehouse.replace(CYCLE, [TableWrite("mps", columns, _mps(9.0)), broken])
    assert warehouse.read("mps", CYCLE)["quantity"].dropna().tolist() == [1.0]


def test_unknown_table_reads_empty_with_columns(warehouse: Warehouse) -> None:
    assert list(warehouse.read("nothing", CYCLE, columns={"cycle": "date", "x": "float"})) == [
        "cycle",
        "x",
    ]


def test_unsupported_urls_are_refused_with_a_hint() -> None:
    with pytest.raises(WarehouseError, match="unsupported warehouse 'sqlite'"):
        check_url("sqlite:///x.db")
    with pytest.raises(WarehouseError, match="not a SQLAlchemy URL"):
        check_url("nonsense")


def test_the_default_file_name_and_schema_work_together(tmp_path: Path) -> None:
    # DuckDB names the catalog of sop.duckdb "sop", the same as the default schema
    warehouse = Warehouse(f"duckdb:///{tmp_path / 'sop.duckdb'}", schema="sop")
    warehouse.replace(CYCLE, [TableWrite("mps", OUTPUT_TABLES["mps"].columns, _mps(1.0))])
    assert warehouse.read("mps", CYCLE)["quantity"].tolist()[0] == 1.0
