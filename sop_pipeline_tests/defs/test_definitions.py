"""The definitions load (this test stops them rotting), with the schedule and checks wired."""

import os
from datetime import datetime

import pytest
from dagster import AssetKey, build_schedule_context

from sop_pipeline.definitions import defs
from sop_pipeline.defs.partitions import DEFAULT_FIRST_CYCLE, cycle_partitions


def test_definitions_load_with_every_contract_table_as_an_asset() -> None:
    repository = defs.get_repository_def()
    keys = {key.to_user_string() for key in repository.asset_graph.get_all_asset_keys()}
    for table in [
        "items",
        "sales_lines",
        "sales_actuals",
        "statistical_forecast",
        "forecast_accuracy",
        "demand_plan",
        "supply_plan",
        "resource_load",
        "exceptions",
        "financial_plan",
        "kpi",
        "mps",
        "sop_pack",
    ]:
        assert table in keys
    assert any(key.startswith("stg_sop__") for key in keys), "dbt models are assets"


def test_dbt_tests_and_expectation_suites_are_asset_checks() -> None:
    checks = defs.get_repository_def().asset_graph.asset_check_keys
    by_asset = {(c.asset_key.to_user_string(), c.name) for c in checks}
    assert ("items", "passes_expectation_suite") in by_asset
    assert ("sales_lines", "passes_expectation_suite") in by_asset
    dbt_checks = {name for asset, name in by_asset if asset == "stg_sop__supply_plans"}
    assert any(name.startswith("unique_combination_of_columns") for name in dbt_checks)


def test_schedule_requests_the_current_cycle_with_a_run_key() -> None:
    schedule = defs.get_schedule_def("monthly_sop_cycle")
    context = build_schedule_context(scheduled_execution_time=datetime(2026, 11, 1, 6, 0))
    requests = list(schedule.evaluate_tick(context).run_requests or [])
    assert [r.partition_key for r in requests] == ["2026-11-01"]
    assert requests[0].run_key == "2026-11-01"


def test_every_python_table_shows_its_columns_owner_kinds_and_code_in_the_catalogue() -> None:
    graph = defs.resolve_asset_graph()
    python = [
        graph.get(key)
        for key in graph.get_all_asset_keys()
        if "dbt" not in graph.get(key).kinds
        and key.to_user_string() not in ("sop_pack", "publish")  # files, not tables
    ]
    assert len(python) >= 25
    for node in python:
        name = node.key.to_user_string()
        schema = node.metadata["dagster/column_schema"]
        assert schema.columns[0].name == "cycle", name
        assert "team:sop" in node.owners and "python" in node.kinds, name
        assert "dagster/code_references" in node.metadata, name
    assert graph.get(AssetKey("quarantine")).group_name == "collection"


@pytest.mark.skipif(bool(os.environ.get("SOP_FIRST_CYCLE")), reason="SOP_FIRST_CYCLE is set")
def test_partitions_start_at_the_first_cycle_with_data() -> None:
    assert cycle_partitions.get_first_partition_key() == f"{DEFAULT_FIRST_CYCLE}-01"
