"""The supply review and MPS assets materialised for two consecutive cycles against a real
DuckDB file: the second cycle keeps the first cycle's firm MPS in the months still frozen, the
proposed baseline MPS until the first cycle is approved, the released scenario's once it is."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from dagster import DagsterInstance

from sop_pipeline.cli import main
from sop_pipeline.core.contracts import CONTRACTS, table_columns
from sop_pipeline.core.tables import OUTPUT_TABLES
from sop_pipeline.definitions import build_definitions
from sop_pipeline.defs.resources import PlanningSettings, WarehouseResource
from sop_pipeline.io.warehouse import TableWrite, Warehouse
from sop_pipeline_tests.cycles import materialize_cycle

pytestmark = pytest.mark.integration  # materialises assets

SELECTION = "key:supply_plan or key:resource_load or key:exceptions or key:mps or key:publish"
APPROVAL_SELECTION = f"{SELECTION} or key:financial_plan or key:kpi or key:sop_pack"


def _write_inputs(
    url: str, cycle: pd.Timestamp, demand: float, scenarios: pd.DataFrame | None = None
) -> None:
    """The upstream tables of one cycle: SKU A with `demand` a month, no stock, no capacity."""
    months = pd.date_range(cycle, periods=12, freq="MS")
    plan = pd.DataFrame({"sku": "A", "region": "N", "month": months, "demand": demand})
    for layer in ["statistical", "event_uplift", "pipeline", "new_product", "override"]:
        plan[layer] = 0.0
    items = pd.DataFrame(
        {
            "sku": ["A"],
            "description": "a",
            "family": "F",
            "uom": "EA",
            "unit_cost": 5.0,
            "unit_price": 10.0,
            "status": "active",
            "lead_time_months": 0,
        }
    )
    inventory = pd.DataFrame({"sku": ["A"], "site": "main", "on_hand": 0.0})
    writes = [
        TableWrite("demand_plan", OUTPUT_TABLES["demand_plan"].columns, plan),
        TableWrite(CONTRACTS["items"].table, table_columns(CONTRACTS["items"]), items),
        TableWrite(CONTRACTS["inventory"].table, table_columns(CONTRACTS["inventory"]), inventory),
    ]
    if scenarios is not None:
        spec = CONTRACTS["scenarios"]
        writes.append(TableWrite(spec.table, table_columns(spec), scenarios))
    Warehouse(url).replace(cycle, writes)


def test_next_cycle_keeps_the_firm_mps_of_the_frozen_months(tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    reports = tmp_path / "reports"
    for cycle, demand in [("2026-01", 10.0), ("2026-02", 20.0)]:
        _write_inputs(url, pd.Timestamp(f"{cycle}-01"), demand)
        result = materialize_cycle(cycle, url, tmp_path / "exports", reports, SELECTION)
        assert result.success, cycle
    plan = Warehouse(url).read("supply_plan", pd.Timestamp("2026-02-01")).sort_values("month")
    # February and March were firm at 10 in January's MPS; April on follows the new demand
    np.testing.assert_allclose(plan["production"].to_numpy()[:4], [10.0, 10.0, 20.0, 20.0])
    mps = pd.read_csv(reports / "2026-02" / "mps.csv")
    assert list(mps.columns) == ["sku", "period", "quantity", "firm", "status"]
    assert list(mps["firm"][:4]) == ["Y", "Y", "Y", "N"]
    assert set(mps["status"]) == {"proposed"}


def test_an_approved_scenario_is_released_and_pinned_by_the_next_cycle(tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    reports = tmp_path / "reports"
    boost = pd.DataFrame({"scenario": ["boost"], "kind": "demand", "scope": "*", "multiplier": 1.5})
    _write_inputs(url, pd.Timestamp("2026-01-01"), 10.0, boost)
    assert materialize_cycle(
        "2026-01", url, tmp_path / "exports", reports, APPROVAL_SELECTION
    ).success
    proposed_pack = (reports / "2026-01" / "sop_pack.html").read_text(encoding="utf-8")
    assert "proposed (not yet approved)" in proposed_pack
    proposed = pd.read_csv(reports / "2026-01" / "mps.csv")
    assert set(proposed["status"]) == {"proposed"}
    np.testing.assert_allclose(proposed["quantity"][:2], [10.0, 10.0])

    # the first approval from the command line, the second as the Dagster job
    args = ["approve", "--cycle", "2026-01", "--scenario", "baseline", "--by", "CEO"]
    result = CliRunner().invoke(main, [*args, "--warehouse", url, "--reports", str(reports)])
    assert result.exit_code == 0, result.output
    approval_job = build_definitions(
        warehouse=WarehouseResource(url=url), settings=PlanningSettings(reports_dir=str(reports))
    ).resolve_job_def("approve_plan")
    config = {"cycle": "2026-01", "scenario": "boost", "approved_by": "COO"}
    assert approval_job.execute_in_process(
        run_config={"ops": {"approve_scenario": {"config": config}}},
        instance=DagsterInstance.ephemeral(),
    ).success
    warehouse = Warehouse(url)
    january = pd.Timestamp("2026-01-01")
    approvals = warehouse.read("plan_approvals", january)
    assert sorted(approvals["scenario"]) == ["baseline", "boost"]  # the history is kept
    assert approvals["plan_fingerprint"].nunique() == 2
    released = warehouse.read("released_mps", january)
    assert set(released["scenario"]) == {"boost"}  # the latest approval wins
    released_file = pd.read_csv(reports / "2026-01" / "mps.csv")
    assert set(released_file["status"]) == {"released"}
    np.testing.assert_allclose(released_file["quantity"][:2], [15.0, 15.0])
    decisions = warehouse.read("decisions", january)
    assert list(decisions["topic"]) == ["scenario_choice"]
    assert list(decisions["owner"]) == ["COO"]
    pack = (reports / "2026-01" / "sop_pack.html").read_text(encoding="utf-8")
    assert "released: scenario boost approved by COO" in pack  # drawn again on approval

    _write_inputs(url, pd.Timestamp("2026-02-01"), 20.0)
    assert materialize_cycle("2026-02", url, tmp_path / "exports", reports, SELECTION).success
    plan = warehouse.read("supply_plan", pd.Timestamp("2026-02-01")).sort_values("month")
    # February and March are pinned at the released boost MPS (15), not the baseline's 10
    np.testing.assert_allclose(plan["production"].to_numpy()[:4], [15.0, 15.0, 20.0, 20.0])


def test_approving_an_unknown_scenario_names_the_ones_there_are(tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    _write_inputs(url, pd.Timestamp("2026-01-01"), 10.0)
    assert materialize_cycle("2026-01", url, tmp_path / "exports", tmp_path, SELECTION).success
    args = ["approve", "--cycle", "2026-01", "--scenario", "nope", "--by", "CEO"]
    result = CliRunner().invoke(main, [*args, "--warehouse", url, "--reports", str(tmp_path)])
    assert result.exit_code == 1
    assert "no scenario 'nope'; its scenarios: baseline" in result.output
    assert Warehouse(url).read("plan_approvals", pd.Timestamp("2026-01-01")).empty
