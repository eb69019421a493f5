"""The collection assets materialised for one cycle against a real DuckDB file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from dagster import DagsterEventType

from sop_pipeline.io.staging import read_staged
from sop_pipeline.io.warehouse import Warehouse
from sop_pipeline.runner import CycleOptions, cycle_job
from sop_pipeline_tests.core.test_collection_mapping import sap_drop
from sop_pipeline_tests.cycles import drop_without, materialize_cycle

pytestmark = pytest.mark.integration  # materialises assets

COLLECTION = "group:collection"


def test_every_raw_row_is_loaded_or_quarantined_and_checks_pass(
    demo_exports: Path, tmp_path: Path
) -> None:
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    result = materialize_cycle("2026-11", url, demo_exports, tmp_path / "reports", COLLECTION)
    assert result.success
    sales = result.asset_materializations_for_node("sales_lines")[0].metadata
    read, loaded = sales["rows_read"].value, sales["rows_loaded"].value
    assert read == loaded + sales["rows_quarantined"].value and loaded > 0
    assert sales["read_encoding"].value == "utf_8 with BOM"
    assert sales["read_delimiter"].value == "','"
    checks = [
        e for e in result.all_events if e.event_type == DagsterEventType.ASSET_CHECK_EVALUATION
    ]
    assert len(checks) >= 13 and all(e.event_specific_data.passed for e in checks)

    quarantine = Warehouse(url).read("quarantine", pd.Timestamp("2026-11-01"))
    sales_rules = set(quarantine.loc[quarantine["entity"] == "sales_history", "rule"])
    assert {"out_of_range", "unknown_sku", "not_a_date", "not_a_number"} <= sales_rules
    assert quarantine["raw_record"].str.startswith("{").all()


def test_missing_items_fails_the_cycle_naming_the_file(demo_exports: Path, tmp_path: Path) -> None:
    exports = drop_without(demo_exports, tmp_path, "items")
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    result = materialize_cycle("2026-11", url, exports, tmp_path / "reports", COLLECTION)
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type == DagsterEventType.STEP_FAILURE)
    assert "required file 'items' missing" in str(failure.step_failure_data.error)


def test_an_absent_optional_file_is_reported_and_the_cycle_goes_on(
    demo_exports: Path, tmp_path: Path
) -> None:
    exports = drop_without(demo_exports, tmp_path, "promotions")
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    result = materialize_cycle("2026-11", url, exports, tmp_path / "reports", COLLECTION)
    assert result.success
    promotions = result.asset_materializations_for_node("promotions")[0].metadata
    assert promotions["file_present"].value is False
    assert Warehouse(url).read("promotions", pd.Timestamp("2026-11-01")).empty


def test_a_drop_over_the_quarantine_threshold_stops_before_planning(
    demo_exports: Path, tmp_path: Path
) -> None:
    exports = drop_without(demo_exports, tmp_path, "inventory")
    (exports / "2026-11" / "inventory.csv").write_text(
        "sku,on_hand\n" + "".join(f"NO-SUCH-{n},5\n" for n in range(6))
    )
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    result = materialize_cycle("2026-11", url, exports, tmp_path / "reports", COLLECTION)
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type == DagsterEventType.STEP_FAILURE)
    assert failure.step_key == "inventory"
    assert (
        "drop rejected before planning: inventory (2026-11/inventory.csv): 6 of 6 rows "
        "quarantined (100.0% > 2.0%): unknown_sku 6; e.g. rows 2, 3, 4, 5, 6"
    ) in str(failure.step_failure_data.error)
    # a rejected drop publishes nothing; its evidence stays with the run's staged rows
    november = pd.Timestamp("2026-11-01")
    assert Warehouse(url).read("quarantine", november).empty
    staged = read_staged(Warehouse(url), "quarantine", result.run_id, november, november, None)
    assert (staged["entity"] == "inventory").sum() == 6


def test_the_mapping_file_reaches_the_collection_assets(tmp_path: Path) -> None:
    mapping = sap_drop(tmp_path)
    exports, url = tmp_path / "exports", f"duckdb:///{tmp_path / 'w.duckdb'}"
    options = CycleOptions(exports=exports, warehouse_url=url, mapping=mapping)
    bound = cycle_job(options).resource_defs["exports"].config_field
    assert bound is not None and bound.default_value["mapping"] == str(mapping)  # `sop run`
    selection = "key:items or key:sales_lines or key:sales_actuals"
    result = materialize_cycle("2026-11", url, exports, tmp_path / "r", selection, mapping)
    assert result.success
    sales = result.asset_materializations_for_node("sales_lines")[0].metadata
    assert sales["rows_loaded"].value == 2 and sales["rows_quarantined"].value == 1
    assert sales["read_encoding"].value == "cp1252"
    loaded = Warehouse(url).read("sales_lines", pd.Timestamp("2026-11-01"))
    assert loaded["quantity"].tolist() == [12.5, 3.0] and set(loaded["region"]) == {"EU"}
    actuals = result.asset_materializations_for_node("sales_actuals")[0].metadata
    assert actuals["history_warning"].value == (
        "sales_actuals holds 1 months; a new warehouse needs 24 for seasonal forecasts "
        "(else short-history methods)"
    )
