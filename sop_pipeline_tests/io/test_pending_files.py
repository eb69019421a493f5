"""A cycle's files wait in reports/.pending/<cycle>/<run id>/ until their run has published
the cycle; settling moves a published run's files into place and deletes those of runs that
never will publish, by the runs' rows in cycle_runs (a real DuckDB warehouse)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sop_pipeline.io.cycle_runs import record_finished, record_started
from sop_pipeline.io.pending_files import pending_folder, pending_reports, settle_pending_files
from sop_pipeline.io.reports import MPS_FILE, PACK_FILE, cycle_folder
from sop_pipeline.io.warehouse import Warehouse

OCT, NOV = pd.Timestamp("2026-10-01"), pd.Timestamp("2026-11-01")


def _run(warehouse: Warehouse, reports: Path, cycle: pd.Timestamp, run: str, status: str) -> None:
    """A run of the cycle recorded with `status` ("unknown": no row), its pack pending."""
    if status != "unknown":
        record_started(warehouse, run, cycle, "duckdb:///w.duckdb", "test")
        if status != "running":
            record_finished(warehouse, run, status)
    (pending_folder(reports, cycle, run) / PACK_FILE).write_text(run)


def test_settling_publishes_the_newest_published_run_and_deletes_what_never_will(
    tmp_path: Path,
) -> None:
    warehouse, reports = Warehouse(f"duckdb:///{tmp_path / 'w.duckdb'}"), tmp_path / "reports"
    (cycle_folder(reports, NOV) / PACK_FILE).write_text("the previous version")
    assert settle_pending_files(reports, warehouse) == []  # nothing pending, nothing read
    for run, status in [
        ("superseded", "published"),
        ("failed", "failed"),
        ("abandoned", "abandoned"),
        ("killed-after-publishing", "published"),  # the cycle's newest published run
        ("in-progress", "running"),
        ("other-warehouse", "unknown"),
    ]:
        _run(warehouse, reports, NOV, run, status)
    _run(warehouse, reports, OCT, "october", "published")
    (pending_folder(reports, NOV, "killed-after-publishing") / MPS_FILE).write_text("sku,period")

    settled = settle_pending_files(reports, warehouse)

    assert (reports / "2026-11" / PACK_FILE).read_text() == "killed-after-publishing"
    assert (reports / "2026-11" / MPS_FILE).read_text() == "sku,period"
    assert (reports / "2026-10" / PACK_FILE).read_text() == "october"
    left = sorted(path.name for path in (pending_reports(reports) / "2026-11").iterdir())
    assert left == ["in-progress", "other-warehouse"]  # never shown, never deleted
    assert not any((pending_reports(reports) / "2026-10").iterdir())
    assert len(settled) == 5 and "\n" not in "".join(settled)
    assert "cycle 2026-11: files of run superseded (superseded) deleted" in settled
    assert settle_pending_files(reports, warehouse) == []  # settled: nothing more to do
    assert (reports / "2026-11" / PACK_FILE).read_text() == "killed-after-publishing"


def test_outside_a_run_the_files_go_straight_to_the_cycle_folder(tmp_path: Path) -> None:
    assert pending_folder(tmp_path, NOV, None) == tmp_path / "2026-11"
    assert pending_folder(tmp_path, NOV, "r1") == tmp_path / ".pending" / "2026-11" / "r1"
