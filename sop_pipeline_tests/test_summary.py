"""The command line's KPI summary: change against the previous cycle, ratios as percentages,
money with its currency, the plan's change and the approval status; printed from a real
DuckDB warehouse."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sop_pipeline.commands import print_kpi_summary
from sop_pipeline.core.executive.plan_changes import plan_changes
from sop_pipeline.core.executive.summary import summary_lines
from sop_pipeline.core.tables import OUTPUT_TABLES
from sop_pipeline.io.warehouse import TableWrite, Warehouse
from sop_pipeline_tests.cases import plan_changes as changes_case
from sop_pipeline_tests.cases.kpi import CYCLE
from sop_pipeline_tests.core.test_report import APPROVALS, pack_inputs


def _line(lines: list[str], kpi: str) -> str:
    return next(line for line in lines if line.strip().startswith(kpi + " "))


def test_the_summary_shows_changes_percentages_money_plan_changes_and_approval() -> None:
    pack = pack_inputs()
    changes = plan_changes(changes_case.inputs(), changes_case.CYCLE)
    lines = summary_lines(pack.kpi, pack.previous_kpi, changes, APPROVALS, CYCLE, "USD")
    assert lines[0] == "KPI summary, cycle 2026-03 (baseline, total; money in USD)"
    sales = _line(lines, "total_sales")
    assert "+11.1 %" in sales  # 500 against 450
    assert "98.1 %" in _line(lines, "planned_fill_rate")
    assert "+9.8 pp" in _line(lines, "planned_fill_rate")  # 98.1 % against 90 % of it
    assert "USD 400" in _line(lines, "inventory_value")
    assert lines[-2].startswith("Plan vs previous cycle: demand +20 units (actuals & model +4,")
    assert lines[-2].endswith("revenue +USD 317")
    assert lines[-1] == (
        "Approval: released: scenario cap_cut approved by COO on 2026-03-05 11:00:00 UTC"
    )


def test_a_first_cycle_summary_says_there_is_nothing_to_compare() -> None:
    lines = summary_lines(pack_inputs().kpi, None, None, None, CYCLE, "EUR")
    assert "n/a" in _line(lines, "total_sales")
    assert lines[-2] == "Plan vs previous cycle: no previous cycle's plan to compare"
    assert lines[-1] == "Approval: proposed (not yet approved)"


def test_the_cli_prints_the_summary_from_the_warehouse(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOP_CURRENCY", "chf")
    warehouse = Warehouse(f"duckdb:///{tmp_path / 'w.duckdb'}")
    pack = pack_inputs()
    kpi = OUTPUT_TABLES["kpi"].columns
    warehouse.replace(CYCLE, [TableWrite("kpi", kpi, pack.kpi)])
    previous = pack.previous_kpi
    assert previous is not None
    warehouse.replace(pd.Timestamp("2026-02-01"), [TableWrite("kpi", kpi, previous)])
    print_kpi_summary(warehouse, CYCLE)
    out = capsys.readouterr().out
    assert "money in CHF" in out and "CHF 400" in out
    assert "+11.1 %" in out
    assert "Approval: proposed (not yet approved)" in out
