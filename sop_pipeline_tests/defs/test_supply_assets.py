"""The supply review and MPS assets materialised for two consecutive cycles against a real
DuckDB file: the second cycle keeps the first cycle's firm MPS in the months still frozen."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sop_pipeline.core.contracts import CONTRACTS, table_columns
from sop_pipeline.core.tables import OUTPUT_TABLES
from sop_pipeline.io.warehouse import TableWrite, Warehouse
from sop_pipeline_tests.cycles import materialize_cycle

pytestmark = pytest.mark.integration  # materialises assets

SELECTION = "key:supply_plan or key:resource_load or key:exceptions or key:mps or key:publish"


def _write_inputs(url: str, cycle: pd.Timestamp, demand: float) -> None:
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
    assert list(mps.columns) == ["sku", "period", "quantity", "firm"]
    assert list(mps["firm"][:4]) == ["Y", "Y", "Y", "N"]
