"""The dbt reporting layer built for real on DuckDB and PostgreSQL, through the Dagster asset.

Hand-made source tables are written through the pipeline's Warehouse for two cycles, and the dbt
asset is materialised partition by partition as a backfill would: cycle A, cycle B, then A again
after A's sources changed. Every model must build and every dbt test pass as a Dagster asset
check; the marts must hold the expected rows, and re-running A must replace A's rows only. The
builds of one warehouse share dbt's saved parse, so only the first of them parses the project.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa
from dagster import AssetKey, AssetSelection, DagsterInstance, ExecuteInProcessResult, materialize
from sqlalchemy.pool import NullPool

from sop_pipeline.core.contracts import CONTRACTS, table_columns
from sop_pipeline.core.tables import OUTPUT_TABLES
from sop_pipeline.defs.dbt.assets import DBT_PROJECT_DIR, dbt_cli, sop_dbt_models
from sop_pipeline.defs.resources import WarehouseResource
from sop_pipeline.io.warehouse import TableWrite, Warehouse

pytestmark = pytest.mark.integration

CYCLE_A, CYCLE_B = "2026-10-01", "2026-11-01"
CYCLE_C = "2026-09-01"  # a cycle of its own for the bad source rows
NOV, DEC = "2026-11-01", "2026-12-01"
MARTS = {
    "executive_summary": ["cycle", "kpi"],
    "forecast_accuracy_trend": ["cycle", "lag_months", "family"],
    "capacity_utilization": ["cycle", "scenario", "resource", "month"],
    "inventory_health": ["cycle", "sku"],
    "financial_reconciliation": ["cycle", "scenario", "family", "month"],
    "plan_exceptions": ["cycle", "scenario", "kind", "sku", "resource", "month"],
    "planning_cycles": ["cycle"],
}


def _frame(header: str, *rows: tuple[Any, ...]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=header.split())


SOURCE_ROWS: dict[str, pd.DataFrame] = {
    "sales_actuals": _frame("sku region month quantity revenue", ("A", "EU", "2026-10-01", 5, 50)),
    "statistical_forecast": _frame(
        "sku region month model forecast lo_80 hi_80 lo_95 hi_95",
        ("A", "EU", NOV, "AutoETS", 10, 8, 12, 7, 13),
        ("B", "EU", NOV, "CrostonSBA", 2, 0, 4, 0, 5),
    ),
    "forecast_accuracy": _frame(
        "sku region month lag forecast actual abs_error naive consensus",
        ("A", "EU", "2026-10-01", 1, 6, 5, 1, 9, 5),
        ("B", "EU", "2026-10-01", 1, 2, 0, 2, 1, None),
        ("A", "EU", "2026-10-01", 3, 4, 5, 1, 3, 4),
        ("Z", "EU", "2026-10-01", 1, 1, 1, 0, 0, 1),  # a SKU no export describes
    ),
    "demand_plan": _frame(
        "sku region month statistical event_uplift pipeline new_product override demand",
        ("A", "EU", NOV, 10, 1, 0, 0, 0, 11),
        ("A", "US", NOV, 4, 0, 0, 0, 0, 4),
        ("B", "EU", DEC, 2, 0, 1, 0, 0, 3),
    ),
    # 2 of A's open order O1 (3 due in Nov) are carried into Dec, where 1 unit (of O1 or O2) is
    # still owed when the horizon ends. A unit carried is in demand and unmet_demand of every
    # month it is owed: Nov unmet = 1 lost + 2 owed; Dec demand = 1 due + 2 carried in.
    "supply_plan": _frame(
        "scenario sku month demand production ending_inventory safety_stock unmet_demand "
        "backlog backorder",
        ("baseline", "A", NOV, 15, 12, 2, 3, 3, 3, 2),
        ("baseline", "A", DEC, 3, 0, 0, 3, 1, 1, 1),
        ("baseline", "B", DEC, 3, 3, 0, 0, 0, 0, 0),
        ("high_demand", "A", NOV, 18, 12, 0, 3, 6, 3, 0),
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
        "budget_revenue revenue_gap unconstrained_cogs unconstrained_gross_margin "
        "budget_gross_margin gross_margin_gap",
        ("baseline", "F1", NOV, 150, 90, 60, 160, 40, 140, 10, 96, 64, 50, 10),
        ("baseline", "F1", DEC, 15, 9, 6, 15, 0, None, None, 9, 6, None, None),
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
    "inventory": _frame("sku site on_hand", ("A", "main", 2), ("B", "main", 30), ("B", "dc", 10)),
    "resources": _frame(
        "resource month available_hours max_overtime_hours overtime_cost_per_hour",
        ("R1", NOV, 100, 20, 45),
        ("R1", DEC, 100, 20, 45),
        ("R2", NOV, 0, 0, 0),
    ),
    "routings": _frame("sku resource hours_per_unit", ("A", "R1", 10), ("B", "R1", 10)),
    "inventory_policy": _frame(
        "sku service_level safety_stock_method min_cover_months max_cover_months",
        ("A", 0.95, "service_level", None, 3),
    ),
    "open_orders": _frame(
        "order_id line sku region requested_date quantity",
        ("O1", "1", "A", "EU", NOV, 3),
        ("O2", "1", "A", "EU", DEC, 1),
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


def write_sources(url: str, schema: str, cycle: str, rows: dict[str, pd.DataFrame]) -> None:
    """One cycle of every source table, empty where `rows` has none (optional exports absent)."""
    writes = []
    for name, columns in source_tables().items():
        frame = rows.get(name, pd.DataFrame())
        writes.append(TableWrite(name, columns, frame.reindex(columns=list(columns)[1:])))
    Warehouse(url, schema).replace(pd.Timestamp(cycle), writes)


def materialize_marts(
    url: str, schema: str, cycle: str, selection: AssetSelection | None = None
) -> ExecuteInProcessResult:
    """The dbt asset materialised for one cycle's partition: every model and dbt test, or the
    `selection` of them."""
    return materialize(
        [sop_dbt_models],
        partition_key=cycle,
        resources={"dbt": dbt_cli(), "warehouse": WarehouseResource(url=url, schema_name=schema)},
        instance=DagsterInstance.ephemeral(),
        raise_on_error=False,
        selection=selection,
    )


def read_mart(url: str, schema: str, table: str) -> pd.DataFrame:
    """A mart's rows sorted by its key, with `cycle` as YYYY-MM."""
    order = ", ".join(MARTS[table])
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            sql = f'SELECT * FROM "{schema}_marts"."{table}" ORDER BY {order}'
            rows = pd.read_sql(sa.text(sql), conn)
    finally:
        engine.dispose()
    return rows.assign(cycle=pd.to_datetime(rows["cycle"]).dt.strftime("%Y-%m"))


def with_changes(table: str, **changes: Any) -> dict[str, pd.DataFrame]:
    """The source rows with one table's columns overwritten."""
    return {**SOURCE_ROWS, table: SOURCE_ROWS[table].assign(**changes)}


@dataclass
class Built:
    """A warehouse after the build sequence: A, B, then A again (B, then A on PostgreSQL)."""

    url: str
    schema: str
    runs: list[ExecuteInProcessResult]
    capacity_b_first: pd.DataFrame
    marts: dict[str, pd.DataFrame]


@pytest.fixture(scope="module", params=["duckdb", "postgresql"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    if request.param == "duckdb":
        url = f"duckdb:///{tmp_path_factory.mktemp('dbt') / 'warehouse.duckdb'}"
    else:
        url = request.getfixturevalue("postgres_url")
    schema = "sop_dbt"  # the session's PostgreSQL database is shared with the full-cycle tests
    # the runs before the last build the models only (the tests run once, on the final state);
    # on PostgreSQL, to save a run, the first one (B) builds both cycles, as a first run does
    models_only = AssetSelection.all().without_checks()
    write_sources(url, schema, CYCLE_A, with_changes("kpi", value=[40.0, 0.75, 40.0, 0.9]))
    runs = (
        []
        if request.param == "postgresql"
        else [materialize_marts(url, schema, CYCLE_A, models_only)]
    )
    write_sources(url, schema, CYCLE_B, SOURCE_ROWS)
    runs.append(materialize_marts(url, schema, CYCLE_B, models_only))
    capacity_b_first = read_mart(url, schema, "capacity_utilization")
    # B's sources change without a run of B; A's change (no exceptions any more) and A re-runs
    write_sources(url, schema, CYCLE_B, with_changes("resource_load", overtime_hours=0.0))
    rows_a = with_changes("kpi", value=[45.0, 0.75, 45.0, 0.9])
    write_sources(url, schema, CYCLE_A, {**rows_a, "exceptions": pd.DataFrame()})
    runs.append(materialize_marts(url, schema, CYCLE_A))
    marts = {name: read_mart(url, schema, name) for name in MARTS}
    return Built(url, schema, runs, capacity_b_first, marts)


def test_every_model_builds_and_every_dbt_test_passes_as_an_asset_check(built: Built) -> None:
    for run in built.runs:
        assert run.success
        built_models = {
            e.asset_key.to_user_string() for e in run.get_asset_materialization_events()
        }
        assert set(MARTS) <= built_models
        # a successful run's artefact folder (target/sop_dbt_models-<run id>-<uuid>) is removed
        assert not list(DBT_PROJECT_DIR.glob(f"target/*-{run.run_id[:7]}-*"))
    checks = built.runs[-1].get_asset_check_evaluations()
    assert not [c.check_name for c in checks if not c.passed]
    tests_in_project = len(list(sop_dbt_models.check_specs))
    assert tests_in_project > 150
    assert len(checks) == tests_in_project, "every dbt test ran as a Dagster check"


def test_marts_hold_the_cycles_figures(built: Built) -> None:
    marts = {name: rows[rows["cycle"] == "2026-11"] for name, rows in built.marts.items()}

    summary = marts["executive_summary"].set_index("kpi")
    assert summary.loc["total_sales", ["value", "previous_value", "change"]].tolist() == [50, 45, 5]

    trend = marts["forecast_accuracy_trend"].set_index(["lag_months", "family"])
    assert list(trend.index) == [(1, "F1"), (1, "unassigned"), (3, "F1")]
    assert trend.loc[(1, "F1"), ["series", "actual_quantity", "abs_error"]].tolist() == [2, 5, 3]
    assert trend.loc[(1, "F1"), "forecast_accuracy"] == pytest.approx(0.4)
    assert trend.loc[(3, "F1"), "forecast_bias"] == pytest.approx(-0.2)
    assert trend.loc[(1, "F1"), "fva_statistical"] == pytest.approx((5 - 3) / 5)  # naive: 4 + 1
    consensus = trend.loc[(1, "F1"), ["consensus_actual_quantity", "consensus_abs_error"]]
    assert consensus.tolist() == [5, 0]  # B has no consensus figure

    capacity = marts["capacity_utilization"]
    assert list(capacity["load_status"]) == ["overtime", "within_capacity", "idle", "overtime"]
    assert list(capacity["overtime_cost"]) == [900.0, 0.0, 0.0, 900.0]

    health = marts["inventory_health"].set_index("sku")
    assert health["health_status"].to_dict() == {"A": "below_safety_stock", "B": "slow_moving"}
    assert health.loc["A", "cover_months"] == pytest.approx(2 / 7.5)  # 15 units over 2 months
    assert health.loc["A", "months_since_last_sale"] == 1
    assert health.loc["B", ["on_hand", "slow_moving_value"]].tolist() == [40, 120]  # 26.7 months

    money = marts["financial_reconciliation"].set_index("month")
    november = money.iloc[0]
    assert november[["capacity_gap_revenue", "capacity_gap_margin"]].tolist() == [10, 4]
    assert november["revenue_vs_budget"] == pytest.approx(150 / 140)
    assert money["has_budget"].tolist() == [True, False]

    exceptions = marts["plan_exceptions"].set_index("kind")
    assert exceptions["unit"].to_dict() == {"overload": "hours", "unmet_demand": "units"}
    assert exceptions.loc["unmet_demand", ["family", "revenue_at_risk"]].tolist() == ["F1", 10]

    cycle = marts["planning_cycles"].iloc[0]
    assert (cycle["skus_planned"], cycle["planned_demand"]) == (2, 18.0)
    # each carried unit once: demand 15 + (3 - 2 carried in) + 3, unmet 1 lost + 1 owed at the end
    assert cycle["planned_fill_rate"] == pytest.approx(1 - 2 / 19)
    assert bool(cycle["has_capacity_plan"])


def test_rerunning_a_cycle_replaces_its_rows_and_keeps_the_others(built: Built) -> None:
    marts = built.marts
    for name, key in MARTS.items():
        assert not marts[name].duplicated(key).any(), name
        if name != "plan_exceptions":
            assert set(marts[name]["cycle"]) == {"2026-10", "2026-11"}, name

    exceptions = marts["plan_exceptions"]
    assert exceptions.groupby("cycle").size().to_dict() == {"2026-11": 2}, "A's are gone"

    # B was not re-run: its rows are those of its own run, though its sources changed since
    capacity, first = marts["capacity_utilization"], built.capacity_b_first
    pd.testing.assert_frame_equal(
        capacity[capacity["cycle"] == "2026-11"].reset_index(drop=True),
        first[first["cycle"] == "2026-11"].reset_index(drop=True),
    )

    # A's KPIs are replaced, and B's comparison with A follows
    summary = marts["executive_summary"].set_index(["cycle", "kpi"])
    assert summary.loc[("2026-10", "total_sales"), "value"] == 45.0
    assert summary.loc[("2026-11", "total_sales"), "previous_value"] == 45.0


def test_a_duplicate_key_in_a_source_fails_its_asset_check(built: Built) -> None:
    if built.url.startswith("postgresql"):
        pytest.skip("the same dbt test as on DuckDB: one backend shows the check failing")
    items = pd.concat([SOURCE_ROWS["items"]] * 2, ignore_index=True)
    write_sources(built.url, built.schema, CYCLE_C, {"items": items})
    try:
        run = materialize_marts(
            built.url, built.schema, CYCLE_C, AssetSelection.assets("stg_sop__items")
        )
    finally:
        write_sources(built.url, built.schema, CYCLE_C, {})
    assert not run.success
    failed = [c.check_name for c in run.get_asset_check_evaluations() if not c.passed]
    assert failed == ["unique_combination_of_columns_stg_sop__items_cycle__sku"]
    # a failed run keeps its artefacts for debugging; this one was meant to fail
    (kept,) = DBT_PROJECT_DIR.glob(f"target/*-{run.run_id[:7]}-*")
    shutil.rmtree(kept)


def test_every_warehouse_table_has_a_staging_model_built_after_its_python_asset() -> None:
    for table in source_tables():
        staging = [
            key.to_user_string()
            for key, deps in sop_dbt_models.asset_deps.items()
            if AssetKey([table]) in deps
        ]
        assert any(name.startswith("stg_sop__") for name in staging), table


def test_the_marts_tests_are_dagster_asset_checks() -> None:
    checks: dict[str, set[str]] = {}
    for spec in sop_dbt_models.check_specs:
        checks.setdefault(spec.asset_key.to_user_string(), set()).add(spec.name)
    for mart, key in MARTS.items():
        names = checks[mart]
        unique = "unique" if key == ["cycle"] else "unique_combination_of_columns"
        assert any(name.startswith(unique) for name in names), mart
        if mart != "planning_cycles":
            assert f"relationships_{mart}_cycle__cycle__ref_planning_cycles_" in names, mart
    assert "assert_financial_reconciliation_adds_up" in checks["financial_reconciliation"]
    assert "assert_forecast_accuracy_families_add_up" in checks["forecast_accuracy_trend"]
    assert "assert_capacity_utilization_is_not_negative" in checks["capacity_utilization"]
    assert any(name.startswith("scenario_is_defined") for name in checks["plan_exceptions"])
    assert any(name.startswith("value_between") for name in checks["planning_cycles"])
