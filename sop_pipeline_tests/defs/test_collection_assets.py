"""The collection assets materialised for one cycle against a real DuckDB file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
from dagster import DagsterEventType

from sop_pipeline.core.warehouse import Warehouse
from sop_pipeline_tests.cycles import materialize_cycle

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
    checks = [
        e for e in result.all_events if e.event_type == DagsterEventType.ASSET_CHECK_EVALUATION
    ]
    assert len(checks) >= 13 and all(e.event_specific_data.passed for e in checks)

    quarantine = Warehouse(url).read("quarantine", pd.Timestamp("2026-11-01"))
    sales_rules = set(quarantine.loc[quarantine["entity"] == "sales_history", "rule"])
    assert {"out_of_range", "unknown_sku", "not_a_date", "not_a_number"} <= sales_rules
    assert quarantine["raw_record"].str.startswith("{").all()


def test_missing_items_fails_the_cycle_naming_the_file(demo_exports: Path, tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    shutil.copytree(demo_exports / "2026-11", exports / "2026-11")
    for item_file in (exports / "2026-11").glob("items.*"):
        item_file.unlink()
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    result = materialize_cycle("2026-11", url, exports, tmp_path / "reports", COLLECTION)
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type == DagsterEventType.STEP_FAILURE)
    assert "required file 'items' missing" in str(failure.step_failure_data.error)
