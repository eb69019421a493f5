"""A cycle's files wait in reports/.pending/<cycle>/ until they are published, whole."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sop_pipeline.io.pending_files import pending_reports, publish_cycle_files
from sop_pipeline.io.reports import write_sop_pack

CYCLE = pd.Timestamp("2026-11-01")


def test_publishing_moves_the_pending_files_over_the_previous_ones(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    write_sop_pack("<p>old</p>", reports, CYCLE)
    write_sop_pack("<p>new</p>", pending_reports(reports), CYCLE)
    assert (reports / "2026-11" / "sop_pack.html").read_text() == "<p>old</p>"
    assert publish_cycle_files(reports, CYCLE) == [reports / "2026-11" / "sop_pack.html"]
    assert (reports / "2026-11" / "sop_pack.html").read_text() == "<p>new</p>"
    assert not (pending_reports(reports) / "2026-11" / "sop_pack.html").exists()
    assert publish_cycle_files(reports, CYCLE) == []  # nothing pending: the published stay
    assert (reports / "2026-11" / "sop_pack.html").read_text() == "<p>new</p>"
