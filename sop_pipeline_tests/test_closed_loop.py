"""The closed loop's planning job: every step the MPS is computed from, `publish`, the
blocking checks on the exports, and nothing a planning step reads left out."""

from dagster import AssetKey

from sop_pipeline.closed_loop import PLANNING_STEPS
from sop_pipeline.definitions import defs


def test_the_loop_job_runs_every_step_the_mps_depends_on_and_no_reporting() -> None:
    graph = defs.resolve_asset_graph()
    planned = PLANNING_STEPS.resolve(graph)
    names = {key.to_user_string() for key in planned}
    for table in ["sales_actuals", "statistical_forecast", "forecast_accuracy", "demand_plan"]:
        assert table in names
    assert {"supply_plan", "mps", "publish"} <= names
    assert not {"kpi", "sop_pack", "financial_plan", "forecast_value_added"} & names
    assert not any(name.startswith("stg_sop__") for name in names), "no dbt model runs"

    # what the loop leaves out feeds no step it runs, this cycle or a later one
    skipped = graph.materializable_asset_keys - planned
    for key in planned - {AssetKey("publish")}:
        assert not graph.get(key).parent_keys & skipped, key

    checks = {check.asset_key for check in PLANNING_STEPS.resolve_checks(graph)}
    assert AssetKey("sales_lines") in checks and AssetKey("items") in checks
