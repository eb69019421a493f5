"""The dbt reporting layer built for real on DuckDB and PostgreSQL, through the Dagster assets.

Hand-made source tables are written through the pipeline's Warehouse for two cycles, and the
dbt assets (the unpartitioned views and the partitioned marts) are materialised partition by
partition as a backfill would: cycle A, cycle B, then A again after A's sources changed. Every
model must build and every dbt test (data tests as Dagster asset checks, unit tests inside
`dbt build`) pass; the marts must show the `kpi` table's figures, and re-running A must replace
A's rows only. The mart arithmetic itself is covered by the dbt unit tests in the marts' YAML.
Tests that read the manifest only are not marked integration.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa
from dagster import (
    AssetKey,
    AssetsDefinition,
    AssetSelection,
    DagsterInstance,
    ExecuteInProcessResult,
    materialize,
)
from sqlalchemy.pool import NullPool

from sop_pipeline.core.tables import OUTPUT_TABLES, warehouse_tables
from sop_pipeline.defs.dbt.assets import DBT_PROJECT_DIR, dbt_cli, sop_dbt_marts, sop_dbt_views
from sop_pipeline.defs.dbt.project import dbt_project
from sop_pipeline.defs.resources import WarehouseResource
from sop_pipeline.io.dbt_profile import dbt_env
from sop_pipeline.io.staging import next_version, publish_cycle
from sop_pipeline.io.warehouse import TableWrite, Warehouse

DBT_ASSETS: list[AssetsDefinition] = [sop_dbt_views, sop_dbt_marts]
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


def kpi_rows(total_sales: float) -> pd.DataFrame:
    """A cycle's KPI rows: some totals, family accuracy, and the SKU-scope rows of the KPI
    contract (days_of_supply, slow_moving_inventory_value) the marts read."""
    return _frame(
        "scenario kpi scope_type scope value unit",
        ("baseline", "total_sales", "total", "*", total_sales, "currency"),
        ("baseline", "total_sales", "family", "F1", total_sales, "currency"),
        ("baseline", "planned_fill_rate", "total", "*", 0.875, "ratio"),
        ("high_demand", "planned_fill_rate", "total", "*", 0.5, "ratio"),
        ("baseline", "production_forecast", "total", "*", 15, "units"),
        ("baseline", "forecast_accuracy_lag1", "family", "F1", 0.4, "ratio"),
        ("baseline", "forecast_bias_lag3", "family", "F1", -0.2, "ratio"),
        ("baseline", "days_of_supply", "sku", "A", 8.1, "days"),
        ("baseline", "slow_moving_inventory_value", "sku", "A", 0, "currency"),
        ("baseline", "slow_moving_inventory_value", "sku", "B", 120, "currency"),
    )


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
    "kpi": kpi_rows(total_sales=50),
    "forecast_hierarchy": _frame(
        "level node sku family region month model base_forecast forecast",
        ("total", "total", None, None, None, NOV, "AutoETS", 12, 12),
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
    return warehouse_tables()


def write_sources(url: str, schema: str, cycle: str, rows: dict[str, pd.DataFrame]) -> None:
    """One cycle of every source table, empty where `rows` has none (optional exports absent)."""
    writes = []
    for name, columns in source_tables().items():
        frame = rows.get(name, pd.DataFrame())
        writes.append(TableWrite(name, columns, frame.reindex(columns=list(columns)[1:])))
    Warehouse(url, schema).replace(pd.Timestamp(cycle), writes)


def materialize_models(
    url: str,
    schema: str,
    cycle: str,
    selection: AssetSelection | None = None,
    views_only: bool = False,
    instance: DagsterInstance | None = None,
) -> ExecuteInProcessResult:
    """The dbt assets materialised for one cycle's partition (views and marts, every model and
    dbt test, or the `selection` of them, or the views only); a run that succeeds publishes the
    marts it built, as the cycle's `publish` step does."""
    result = materialize(
        [sop_dbt_views] if views_only else DBT_ASSETS,
        partition_key=cycle,
        resources={"dbt": dbt_cli(), "warehouse": WarehouseResource(url=url, schema_name=schema)},
        instance=instance or DagsterInstance.ephemeral(),
        raise_on_error=False,
        selection=selection,
    )
    if result.success and not views_only:
        marts = [key.path[-1] for key in sop_dbt_marts.keys]
        publish_cycle(Warehouse(url, schema), pd.Timestamp(cycle), result.run_id, marts)
    return result


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


def check_specs() -> list[Any]:
    return [spec for assets in DBT_ASSETS for spec in assets.check_specs]


@dataclass
class Built:
    """A warehouse after the build sequence: A, B, then A again (B, then A on PostgreSQL)."""

    url: str
    schema: str
    runs: list[ExecuteInProcessResult]
    instance: DagsterInstance
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
    instance = DagsterInstance.ephemeral()
    write_sources(url, schema, CYCLE_A, {**SOURCE_ROWS, "kpi": kpi_rows(total_sales=40)})
    runs = (
        []
        if request.param == "postgresql"
        else [materialize_models(url, schema, CYCLE_A, models_only, instance=instance)]
    )
    write_sources(url, schema, CYCLE_B, SOURCE_ROWS)
    runs.append(materialize_models(url, schema, CYCLE_B, models_only, instance=instance))
    capacity_b_first = read_mart(url, schema, "capacity_utilization")
    # B's sources change without a run of B; A's change (no exceptions any more) and A re-runs
    write_sources(url, schema, CYCLE_B, with_changes("resource_load", overtime_hours=0.0))
    rows_a = {**SOURCE_ROWS, "kpi": kpi_rows(total_sales=45), "exceptions": pd.DataFrame()}
    write_sources(url, schema, CYCLE_A, rows_a)
    runs.append(materialize_models(url, schema, CYCLE_A, instance=instance))
    marts = {name: read_mart(url, schema, name) for name in MARTS}
    return Built(url, schema, runs, instance, capacity_b_first, marts)


@pytest.mark.integration
def test_every_model_builds_and_every_dbt_test_passes_as_an_asset_check(built: Built) -> None:
    for run in built.runs:
        assert run.success
        built_models = {
            e.asset_key.to_user_string() for e in run.get_asset_materialization_events()
        }
        assert set(MARTS) <= built_models
        assert "stg_sop__kpis" in built_models, "the unpartitioned views are built in the run"
        # a successful run's artefact folders (target/sop_dbt_*-<run id>-<uuid>) are removed
        assert not list(DBT_PROJECT_DIR.glob(f"target/*-{run.run_id[:7]}-*"))
    checks = built.runs[-1].get_asset_check_evaluations()
    assert not [c.check_name for c in checks if not c.passed]
    assert len(checks) == len(check_specs()) > 150, "every dbt test ran as a Dagster check"


def _full_parses(built: Built, run: ExecuteInProcessResult, step: str) -> list[str]:
    """dbt's messages of a run's step that say it parsed the whole project."""
    logs = [entry for entry in built.instance.all_logs(run.run_id) if entry.step_key == step]
    assert logs, f"no log of {step}"
    return [e.user_message for e in logs if "Unable to do partial parsing" in e.user_message]


@pytest.mark.integration
def test_dbt_starts_from_the_saved_parse_of_the_same_profile(built: Built) -> None:
    # every cycle's next version has a schema of its own, so without the saved parse per profile
    # each build parses the whole project: the marts reuse the views' parse of their run ...
    for run in built.runs:
        assert not _full_parses(built, run, "sop_dbt_marts")
    # ... and a re-run of a cycle (A again, on DuckDB) the parse of its first run
    if built.url.startswith("duckdb"):
        assert not _full_parses(built, built.runs[-1], "sop_dbt_views")


@pytest.mark.integration
def test_marts_show_the_kpi_tables_figures(built: Built) -> None:
    marts = {name: rows[rows["cycle"] == "2026-11"] for name, rows in built.marts.items()}

    summary = marts["executive_summary"].set_index("kpi")
    assert summary.loc["total_sales", ["value", "previous_value", "change"]].tolist() == [50, 45, 5]

    health = marts["inventory_health"].set_index("sku")
    assert health["health_status"].to_dict() == {"A": "below_safety_stock", "B": "slow_moving"}
    assert health.loc["A", ["days_of_supply", "cover_months"]].tolist() == [8.1, 8.1 / 30.4]
    assert health.loc["B", ["on_hand", "slow_moving_value"]].tolist() == [40, 120]
    assert pd.isna(health.loc["B", "days_of_supply"]), "no KPI row, no figure"

    trend = marts["forecast_accuracy_trend"].set_index(["lag_months", "family"])
    assert list(trend.index) == [(1, "F1"), (1, "unassigned"), (3, "F1")]
    assert trend.loc[(1, "F1"), "forecast_accuracy"] == 0.4
    assert trend.loc[(3, "F1"), "forecast_bias"] == -0.2
    assert pd.isna(trend.loc[(1, "unassigned"), "forecast_accuracy"]), "the KPI left it out"

    cycle = marts["planning_cycles"].iloc[0]
    assert cycle[["planned_fill_rate", "planned_production"]].tolist() == [0.875, 15]
    assert (cycle["skus_planned"], cycle["planned_demand"]) == (2, 18.0)


@pytest.mark.integration
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


@pytest.mark.integration
def test_the_dbt_unit_tests_pass_on_the_warehouse(built: Built, tmp_path: Path) -> None:
    """The unit tests ran inside the builds above; here dbt runs them alone to count them, over
    the views a run builds for a cycle (the published schemas hold tables and marts only)."""
    assert materialize_models(built.url, built.schema, CYCLE_A, views_only=True).success
    views = next_version(Warehouse(built.url, built.schema), pd.Timestamp(CYCLE_A)).schema
    environment = dbt_env(built.url, views)
    with pytest.MonkeyPatch.context() as patch:
        for name, value in environment.items():
            patch.setenv(name, value)
        dbt_cli().cli(["test", "--select", "test_type:unit"], target_path=tmp_path).wait()
    results = json.loads((tmp_path / "run_results.json").read_text())["results"]
    unit_tests = [r for r in results if r["unique_id"].startswith("unit_test.")]
    assert len(unit_tests) == len(manifest()["unit_tests"]) >= 7
    assert {r["status"] for r in unit_tests} == {"pass"}


@pytest.mark.integration
def test_a_duplicate_key_in_a_source_fails_its_asset_check(built: Built) -> None:
    if built.url.startswith("postgresql"):
        pytest.skip("the same dbt test as on DuckDB: one backend shows the check failing")
    items = pd.concat([SOURCE_ROWS["items"]] * 2, ignore_index=True)
    write_sources(built.url, built.schema, CYCLE_C, {"items": items})
    try:
        run = materialize_models(
            built.url, built.schema, None, AssetSelection.assets("stg_sop__items")
        )
    finally:
        write_sources(built.url, built.schema, CYCLE_C, {})
    assert not run.success
    failed = [c.check_name for c in run.get_asset_check_evaluations() if not c.passed]
    assert failed == ["unique_combination_of_columns_stg_sop__items_cycle__sku"]
    # a failed run keeps its artefacts for debugging; this one was meant to fail
    (kept,) = DBT_PROJECT_DIR.glob(f"target/*-{run.run_id[:7]}-*")
    shutil.rmtree(kept)


@pytest.mark.integration
def test_the_sources_are_fresh_after_this_months_cycle(tmp_path: Path) -> None:
    url, schema = f"duckdb:///{tmp_path / 'fresh.duckdb'}", "sop"
    this_month = pd.Timestamp.now().to_period("M").to_timestamp()
    write_sources(url, schema, f"{this_month:%Y-%m-%d}", SOURCE_ROWS)
    with pytest.MonkeyPatch.context() as patch:
        for name, value in dbt_env(url, schema).items():
            patch.setenv(name, value)
        dbt_cli().cli(["source", "freshness"], target_path=tmp_path / "target").wait()
    results = json.loads((tmp_path / "target" / "sources.json").read_text())["results"]
    assert len(results) == len(FRESHNESS_CHECKED)
    assert {r["status"] for r in results} == {"pass"}


def manifest() -> dict[str, Any]:
    return json.loads(dbt_project.manifest_path.read_text())


# sources every healthy cycle fills; the others (optional exports, ...) have no freshness check
FRESHNESS_CHECKED = {
    "sales_actuals",
    "statistical_forecast",
    "demand_plan",
    "supply_plan",
    "financial_plan",
    "kpi",
    "mps",
    "items",
    "sales_lines",
    "inventory",
    "forecast_hierarchy",
}


def test_sources_declare_their_freshness_on_cycle() -> None:
    sources = manifest()["sources"].values()
    checked = {s["name"] for s in sources if s["freshness"]}
    assert checked == FRESHNESS_CHECKED
    assert {s["loaded_at_field"] for s in sources} == {"cast(cycle as timestamp)"}


def test_the_bi_exposure_depends_on_every_mart() -> None:
    (exposure,) = manifest()["exposures"].values()
    assert exposure["type"] == "dashboard"
    assert {node.split(".")[-1] for node in exposure["depends_on"]["nodes"]} == set(MARTS)


def test_views_and_marts_are_built_per_cycle() -> None:
    # per cycle: a run builds its cycle's next version of both layers before it publishes
    views = {key.to_user_string() for key in sop_dbt_views.keys}
    marts = {key.to_user_string() for key in sop_dbt_marts.keys}
    assert set(MARTS) == marts
    assert all(name.startswith(("stg_sop__", "int_")) for name in views)
    assert sop_dbt_views.partitions_def == sop_dbt_marts.partitions_def is not None


def test_every_warehouse_table_has_a_staging_model_built_after_its_python_asset() -> None:
    for table in source_tables():
        staging = [
            key.to_user_string()
            for key, deps in sop_dbt_views.asset_deps.items()
            if AssetKey([table]) in deps
        ]
        assert any(name.startswith("stg_sop__") for name in staging), table


def test_the_marts_tests_are_dagster_asset_checks() -> None:
    checks: dict[str, set[str]] = {}
    for spec in check_specs():
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


@pytest.mark.integration
def test_the_views_build_before_the_first_approval_and_read_it_after(tmp_path: Path) -> None:
    url, schema = f"duckdb:///{tmp_path / 'w.duckdb'}", "sop"
    approval_tables = ("plan_approvals", "released_mps", "decisions")
    writes = [
        TableWrite(name, columns, pd.DataFrame(columns=list(columns)[1:]))
        for name, columns in source_tables().items()
        if name not in approval_tables
    ]
    cycle = pd.Timestamp("2026-03-01")
    Warehouse(url, schema).replace(cycle, writes)
    assert materialize_models(url, schema, "2026-03-01", views_only=True).success  # no approval
    released = pd.DataFrame(
        {"sku": ["A"], "month": [cycle], "quantity": [5.0], "firm": [True]}
    ).assign(scenario="baseline", approval_id="a1")
    Warehouse(url, schema).replace(
        cycle, [TableWrite("released_mps", OUTPUT_TABLES["released_mps"].columns, released)]
    )
    assert materialize_models(url, schema, "2026-03-01", views_only=True).success
    engine = sa.create_engine(url, poolclass=NullPool)
    views = f"{schema}_next_202603_staging"  # the run's build of the cycle, not yet published
    try:
        with engine.connect() as conn:
            sql = f'SELECT sku, released_quantity FROM "{views}"."stg_sop__released_mps"'
            rows = pd.read_sql(sa.text(sql), conn)
    finally:
        engine.dispose()
    assert rows.to_dict("records") == [{"sku": "A", "released_quantity": 5.0}]
