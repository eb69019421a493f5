"""The demand-review assets materialised for two cycles against a real DuckDB file: the new
tables (forecast_hierarchy, forecast_value_added, override_log) are written, the value-added
asset's metadata carries accuracy by family as a table and the forecast asset the charts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from dagster import ExecuteInProcessResult

from sop_pipeline.io.warehouse import Warehouse
from sop_pipeline_tests.cycles import materialize_cycle

pytestmark = pytest.mark.integration  # materialises assets

# the exports the demand review reads, not the whole collection step, to keep the test fast
SELECTION = (
    " or ".join(f'key:"{k}"' for k in ("sales_lines", "sales_actuals", "items", "demand_overrides"))
    + ' or group:"demand_review"'
)
CYCLES = ("2026-10", "2026-11")


@pytest.fixture(scope="module")
def runs(
    demo_exports: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, ExecuteInProcessResult]:
    root = tmp_path_factory.mktemp("demand")
    url = f"duckdb:///{root / 'w.duckdb'}"
    result = None
    for cycle in CYCLES:
        result = materialize_cycle(cycle, url, demo_exports, root / "reports", SELECTION)
        assert result.success, cycle
    assert result is not None
    return url, result


def test_hierarchy_is_written_and_its_bottom_is_the_statistical_forecast(
    runs: tuple[str, ExecuteInProcessResult],
) -> None:
    url, _ = runs
    warehouse = Warehouse(url)
    cycle = pd.Timestamp("2026-11-01")
    hierarchy = warehouse.read("forecast_hierarchy", cycle)
    statistical = warehouse.read("statistical_forecast", cycle)
    assert set(hierarchy["level"]) == {
        "sku_region", "sku", "family_region", "family", "region", "total"
    }  # fmt: skip
    total = hierarchy[hierarchy["level"] == "total"]["forecast"].sum()
    assert total == pytest.approx(statistical["forecast"].sum(), rel=1e-9)
    family = hierarchy[hierarchy["level"] == "family"]
    assert family["sku"].isna().all() and family["region"].isna().all()


def test_value_added_and_override_log_are_written(
    runs: tuple[str, ExecuteInProcessResult],
) -> None:
    url, _ = runs
    warehouse = Warehouse(url)
    cycle = pd.Timestamp("2026-11-01")
    fva = warehouse.read("forecast_value_added", cycle)
    assert set(fva["lag"]) == {1}  # only one earlier cycle was run
    assert set(fva["scope_type"]) == {"total", "family", "region", "sku"}
    total = fva[fva["scope_type"] == "total"].iloc[0]
    assert 0 < total["statistical_wape"] < 1 and pd.notna(total["consensus_wape"])
    log = warehouse.read("override_log", cycle)
    assert len(log) > 0 and log["author"].notna().all() and log["applied"].any()


def test_metadata_shows_family_accuracy_as_a_table_and_the_forecast_charts(
    runs: tuple[str, ExecuteInProcessResult],
) -> None:
    _, result = runs
    value_added = result.asset_materializations_for_node("forecast_value_added")[0].metadata
    accuracy = value_added["accuracy_by_family"].value
    assert [c.name for c in accuracy.schema.columns][:2] == ["family", "lag"]
    assert len(accuracy.records) >= 2 and {r.data["lag"] for r in accuracy.records} == {1}
    assert all(r.data["accuracy"] <= 1 for r in accuracy.records)
    forecast = result.asset_materializations_for_node("coherent_forecast")[0].metadata
    charts = forecast["forecast_top_families"].value
    assert charts.count("data:image/svg+xml;base64,") == 3
    assert forecast["dagster/row_count"].value > 0
    assert forecast["dagster/table_name"].value == "sop.statistical_forecast"
