"""The dbt reporting layer built for real on DuckDB and PostgreSQL from hand-made source tables.

Every source table is written for one cycle through the pipeline's Warehouse (some empty, as in
a first cycle or without optional exports), then `dbt build` runs with the profile that
`dbt_env` derives from the warehouse URL; its run results must all pass and the marts must hold
the expected rows.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa
from dagster import AssetKey
from sqlalchemy.pool import NullPool

from sop_pipeline.core.contracts import CONTRACTS, table_columns
from sop_pipeline.core.dbt_target import dbt_env, dbt_executable
from sop_pipeline.core.tables import OUTPUT_TABLES
from sop_pipeline.core.warehouse import TableWrite, Warehouse
from sop_pipeline.defs.dbt.assets import DBT_PROJECT_DIR, sop_dbt_models

pytestmark = pytest.mark.integration

CYCLE = pd.Timestamp("2026-11-01")
PREVIOUS = pd.Timestamp("2026-10-01")
NOV, DEC = "2026-11-01", "2026-12-01"


def _frame(header: str, *rows: tuple[Any, ...]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=header.split())


SOURCE_ROWS: dict[str, pd.DataFrame] = {
    "sales_actuals": _frame("sku region month quantity revenue", ("A", "EU", "2026-10-01", 5, 50)),
    "statistical_forecast": _frame(
        "sku region month model forecast lo_80 hi_80 lo_95 hi_95",
        ("A", "EU", NOV, "AutoETS", 10, 8, 12, 7, 13),
        ("B", "EU", NOV, "CrostonSBA", 2, 0, 4, 0, 5),
    ),
    "demand_plan": _frame(
        "sku region month statistical event_uplift pipeline new_product override demand",
        ("A", "EU", NOV, 10, 1, 0, 0, 0, 11),
        ("A", "US", NOV, 4, 0, 0, 0, 0, 4),
        ("B", "EU", DEC, 2, 0, 1, 0, 0, 3),
    ),
    "supply_plan": _frame(
        "scenario sku month demand production ending_inventory safety_stock unmet_demand",
        ("baseline", "A", NOV, 15, 12, 2, 3, 1),
        ("baseline", "B", DEC, 3, 3, 0, 0, 0),
        ("high_demand", "A", NOV, 18, 12, 0, 3, 6),
    ),
    "resource_load": _frame(
        "scenario resource month required_hours available_hours overtime_hours utilization "
        "unconstrained_required_hours",
        ("baseline", "R1", NOV, 120, 100, 20, 1.2, 150),
        ("baseline", "R1", DEC, 30, 100, 0, 0.3, 30),
        ("baseline", "R2", NOV, 0, 0, 0, None, 0),
        ("high_demand", "R1", NOV, 120, 100, 20, 1.2, 180),
    ),
    "exceptions": _frame(
        "scenario kind sku resource month quantity message",
        ("baseline", "unmet_demand", "A", None, NOV, 1, "A misses 1 unit"),
        ("baseline", "overload", None, "R1", NOV, 50, "R1 is 50 hours short"),
    ),
    "financial_plan": _frame(
        "scenario family month revenue cogs gross_margin unconstrained_revenue inventory_value "
        "budget_revenue revenue_gap",
        ("baseline", "F1", NOV, 150, 90, 60, 160, 40, 140, 10),
    ),
    "kpi": _frame(
        "scenario kpi scope_type scope value unit",
        ("baseline", "total_sales", "total", "*", 50, "currency"),
        ("baseline", "capacity_utilization", "total", "*", 0.75, "ratio"),
        ("baseline", "total_sales", "family", "F1", 50, "currency"),
        ("high_demand", "capacity_utilization", "total", "*", 0.9, "ratio"),
    ),
    "mps": _frame("sku month quantity firm", ("A", NOV, 12, True), ("B", DEC, 3, False)),
    "items": _frame(
        "sku description family uom unit_cost unit_price status launch_date end_date "
        "lead_time_months",
        ("A", "Widget", "F1", "EA", 6, 10, "active", "2020-01-01", None, 0),
        ("B", "Gadget", "F1", "EA", 3, 5, "new", "2026-09-01", None, 1),
    ),
    "sales_lines": _frame(
        "line_id ship_date sku customer_id region quantity net_revenue",
        ("L1", "2026-10-03", "A", "C1", "EU", 5, 50),
    ),
    "inventory": _frame("sku site on_hand", ("A", "main", 5), ("B", "main", 0)),
    "resources": _frame(
        "resource month available_hours max_overtime_hours overtime_cost_per_hour",
        ("R1", NOV, 100, 20, 45),
        ("R1", DEC, 100, 20, 45),
    ),
    "routings": _frame("sku resource hours_per_unit", ("A", "R1", 10), ("B", "R1", 10)),
    "inventory_policy": _frame(
        "sku service_level safety_stock_method min_cover_months max_cover_months",
        ("A", 0.95, "service_level", None, 3),
    ),
    "open_orders": _frame(
        "order_id line sku region requested_date quantity", ("O1", "1", "A", "EU", NOV, 3)
    ),
    "production_orders": _frame(
        "order_id sku start_date finish_date quantity", ("P1", "A", "2026-10-01", "2026-10-05", 5)
    ),
    "crm_pipeline": _frame(
        "opportunity_id sku family region expected_month quantity probability stage",
        ("OP1", None, "F1", "EU", DEC, 10, 0.5, "proposal"),
    ),
    "budget": _frame("family month revenue gross_margin", ("F1", NOV, 140, 50)),
    "scenarios": _frame("scenario kind scope multiplier", ("high_demand", "demand", "*", 1.2)),
}


def source_tables() -> dict[str, dict[str, str]]:
    """Every source table of the dbt project with its warehouse columns."""
    tables = {name: spec.columns for name, spec in OUTPUT_TABLES.items()}
    tables.update({c.table: table_columns(c) for c in CONTRACTS.values()})
    return tables


def write_sources(url: str, schema: str, rows: dict[str, pd.DataFrame]) -> None:
    """One cycle of every source table (empty where `rows` has none: a first cycle has no
    forecast accuracy, optional exports may be absent), and the previous cycle's KPIs."""
    writes = [
        TableWrite(name, columns, rows.get(name, pd.DataFrame(columns=list(columns))))
        for name, columns in source_tables().items()
    ]
    warehouse = Warehouse(url, schema)
    warehouse.replace(CYCLE, writes)
    previous_kpis = SOURCE_ROWS["kpi"].iloc[:1].assign(value=40.0)
    warehouse.replace(PREVIOUS, [TableWrite("kpi", OUTPUT_TABLES["kpi"].columns, previous_kpis)])


def dbt_build(url: str, schema: str, target: Path, *args: str) -> tuple[int, list[dict[str, Any]]]:
    """`dbt build` on the warehouse as the dbt asset runs it (the profile set by `dbt_env`), with
    its artefacts in `target`: (exit code, run results)."""
    env = {
        **os.environ,
        **dbt_env(url, schema),
        "DBT_TARGET_PATH": str(target),
        "DBT_LOG_PATH": str(target),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    command = [dbt_executable(), "build", "--vars", json.dumps({"cycle": "2026-11-01"}), *args]
    command += ["--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)]
    done = subprocess.run(command, env=env, cwd=DBT_PROJECT_DIR, capture_output=True, text=True)
    results_file = target / "run_results.json"
    assert results_file.exists(), done.stdout[-3000:] + done.stderr[-3000:]
    return done.returncode, json.loads(results_file.read_text())["results"]


def read_mart(url: str, schema: str, table: str, order: str) -> pd.DataFrame:
    """A mart's rows with `cycle` as YYYY-MM."""
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            sql = f'SELECT * FROM "{schema}_marts"."{table}" ORDER BY {order}'
            rows = pd.read_sql(sa.text(sql), conn)
    finally:
        engine.dispose()
    return rows.assign(cycle=pd.to_datetime(rows["cycle"]).dt.strftime("%Y-%m"))


def check_build_and_marts(url: str, schema: str, target: Path) -> None:
    write_sources(url, schema, SOURCE_ROWS)
    exit_code, results = dbt_build(url, schema, target)
    not_passed = [(r["unique_id"], r["status"], r["message"]) for r in results]
    not_passed = [r for r in not_passed if r[1] not in ("success", "pass")]
    assert exit_code == 0 and not not_passed, not_passed
    assert sum(r["unique_id"].startswith("test.") for r in results) > 100, "keys are tested"

    summary = read_mart(url, schema, "executive_summary", "cycle, kpi").set_index(["cycle", "kpi"])
    assert list(summary.index) == [
        ("2026-10", "total_sales"),
        ("2026-11", "capacity_utilization"),
        ("2026-11", "total_sales"),
    ]
    assert summary.loc[("2026-11", "total_sales"), "change"] == 10.0
    assert pd.isna(summary.loc[("2026-11", "capacity_utilization"), "previous_value"])

    capacity = read_mart(url, schema, "capacity_utilization", "scenario, resource, month")
    assert list(capacity["load_status"]) == ["overtime", "within_capacity", "idle", "overtime"]
    assert list(capacity["overtime_cost"]) == [900.0, 0.0, 0.0, 900.0]

    cycles = read_mart(url, schema, "planning_cycles", "cycle").set_index("cycle")
    assert list(cycles.index) == ["2026-10", "2026-11"]
    latest = cycles.loc["2026-11"]
    assert (latest["skus_planned"], latest["planned_demand"]) == (2, 18.0)
    assert latest["planned_fill_rate"] == pytest.approx(1 - 1 / 18)
    assert bool(latest["has_capacity_plan"])
    assert not bool(cycles.loc["2026-10", "has_capacity_plan"])  # that cycle has KPIs only


def duckdb_url(tmp_path: Path) -> str:
    return f"duckdb:///{tmp_path / 'warehouse.duckdb'}"


def test_dbt_build_passes_on_duckdb_in_one_schema_per_layer(tmp_path: Path) -> None:
    url = duckdb_url(tmp_path)
    check_build_and_marts(url, "sop", tmp_path / "target")
    engine = sa.create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT schema_name FROM information_schema.schemata"))
        schemas = {row[0] for row in rows}
    engine.dispose()
    assert {"sop", "sop_staging", "sop_intermediate", "sop_marts"} <= schemas


def test_dbt_build_passes_on_postgresql(postgres_url: str, tmp_path: Path) -> None:
    # a schema of its own: the session's database is shared with the full-cycle tests
    check_build_and_marts(postgres_url, "sop_dbt", tmp_path / "target")


def test_a_duplicate_key_in_a_source_fails_the_build(tmp_path: Path) -> None:
    url = duckdb_url(tmp_path)
    items = pd.concat([SOURCE_ROWS["items"]] * 2, ignore_index=True)
    write_sources(url, "sop", {**SOURCE_ROWS, "items": items})
    exit_code, results = dbt_build(url, "sop", tmp_path / "target", "--select", "stg_sop__items")
    failed = [r["unique_id"] for r in results if r["status"] == "fail"]
    assert exit_code != 0
    assert [f.split(".")[2] for f in failed] == [
        "unique_combination_of_columns_stg_sop__items_cycle__sku"
    ]


def test_dbt_sources_are_the_python_assets_of_the_same_name() -> None:
    keys = {key.to_user_string() for key in sop_dbt_models.keys}
    assert {"stg_sop__supply_plans", "int_sku_plans_joined", "executive_summary"} <= keys
    upstream = {key for deps in sop_dbt_models.asset_deps.values() for key in deps}
    python_assets = {AssetKey([table]) for table in source_tables()}
    assert python_assets <= upstream
    assert (
        AssetKey(["supply_plan"]) in sop_dbt_models.asset_deps[AssetKey(["stg_sop__supply_plans"])]
    )
