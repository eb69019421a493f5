"""What a run of a cycle is told about the cycle before it, from `cycle_runs` (real DuckDB)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sop_pipeline.io.cycle_runs import previous_cycle_warning, record_finished, record_started
from sop_pipeline.io.warehouse import Warehouse

OCT, NOV = pd.Timestamp("2026-10-01"), pd.Timestamp("2026-11-01")


def _ran(warehouse: Warehouse, run_id: str, status: str) -> None:
    record_started(warehouse, run_id, OCT, "duckdb:///w.duckdb", "test")
    if status != "running":
        record_finished(warehouse, run_id, status)


def test_a_run_is_warned_when_the_previous_cycle_is_not_complete(tmp_path: Path) -> None:
    warehouse = Warehouse(f"duckdb:///{tmp_path / 'w.duckdb'}")
    assert previous_cycle_warning(warehouse, NOV) is None  # October never ran here
    _ran(warehouse, "first", "failed")
    assert previous_cycle_warning(warehouse, NOV) == (
        "cycle 2026-10 is not complete (its newest run first is failed): cycle 2026-11 plans "
        "without it (2026-10 was never published)"
    )
    _ran(warehouse, "second", "published")
    assert previous_cycle_warning(warehouse, NOV) is None
    _ran(warehouse, "third", "running")  # killed, or still running
    assert previous_cycle_warning(warehouse, NOV) == (
        "cycle 2026-10 is not complete (its newest run third is running): cycle 2026-11 plans "
        "on 2026-10 as run second published it"
    )
