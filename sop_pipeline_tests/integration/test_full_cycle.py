"""Full planning cycles end to end, with dbt, on DuckDB and on PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from scripts.audit_plan import audit, audit_cycle, audit_tables, failed, qualified
from sop_pipeline.core.tables import OUTPUT_TABLES
from sop_pipeline_tests.cycles import cycle_tables, materialize_cycle

pytestmark = pytest.mark.integration

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"

# Tables a cycle of the demo company must fill; accuracy, FVA and the plan changes need an
# earlier cycle; the approval tables are written by `sop approve`, not by a run.
NEED_EARLIER_CYCLE = ("forecast_accuracy", "forecast_value_added", "plan_changes")
APPROVAL_TABLES = ("plan_approvals", "released_mps", "decisions")
ALWAYS_FILLED = [t for t in OUTPUT_TABLES if t not in (*NEED_EARLIER_CYCLE, *APPROVAL_TABLES)]


def _check_contract_tables(tables: dict[str, pd.DataFrame]) -> None:
    for name, rows in tables.items():
        spec = OUTPUT_TABLES[name]
        assert list(rows.columns) == list(spec.columns), name
        if name in ALWAYS_FILLED:
            assert len(rows) > 0, f"{name} is empty"
        assert not rows.duplicated(list(spec.key)).any(), f"{name} has duplicate keys"


def test_two_cycles_on_duckdb_then_a_rerun_changes_nothing(
    demo_exports: Path, tmp_path: Path
) -> None:
    url = f"duckdb:///{tmp_path / 'sop.duckdb'}"
    reports = tmp_path / "reports"
    for cycle in ["2026-10", "2026-11"]:
        result = materialize_cycle(cycle, url, demo_exports, reports)
        assert result.success, cycle
    first = cycle_tables(url, "2026-11")
    _check_contract_tables(first)
    assert set(first["forecast_accuracy"]["lag"]) == {1}
    assert set(first["forecast_value_added"]["lag"]) == {1}
    hierarchy = first["forecast_hierarchy"]
    total = hierarchy.loc[hierarchy["level"] == "total", "forecast"].sum()
    assert total == pytest.approx(first["statistical_forecast"]["forecast"].sum(), rel=1e-9)
    assert (reports / "2026-11" / "sop_pack.html").exists()
    assert (reports / "2026-11" / "mps.csv").exists()
    _check_audit(tmp_path / "sop.duckdb")

    assert materialize_cycle("2026-11", url, demo_exports, reports).success
    again = cycle_tables(url, "2026-11")
    for name in OUTPUT_TABLES:
        pd.testing.assert_frame_equal(
            first[name], again[name], check_exact=False, rtol=1e-6, obj=name
        )


def _check_audit(path: Path) -> None:
    """The outsider's audit (scripts/audit_plan.py) finds both plans sound, and it does find a
    cause the tables do not show when one is planted."""
    figures = audit(str(path))
    assert list(figures) == ["2026-10", "2026-11"]
    for cycle, result in figures.items():
        assert not failed(result), (cycle, result)
        assert result["zero_unit_misses"] == 0 and result["unmet_at_safety_stock"] == 0
    assert figures["2026-11"]["receipts"] > 0
    with duckdb.connect(str(path), read_only=True) as conn:
        prefix = qualified(conn, "sop")
        first = audit_tables(conn, prefix, pd.Timestamp("2026-10-01"))
        second = audit_tables(conn, prefix, pd.Timestamp("2026-11-01"))
    short = second["exceptions"]["kind"] == "unmet_demand"
    assert short.any()
    planted = second["exceptions"].copy()
    wrong = "capacity" if (planted.loc[short, "cause"] != "capacity").any() else "lead_time"
    planted.loc[short, "cause"] = wrong
    result = audit_cycle({**second, "exceptions": planted}, first["mps"])
    assert result["wrong_causes"] and failed(result)
    # the command the README gives: both cycles printed, exit 0
    command = [sys.executable, str(SCRIPTS / "audit_plan.py"), str(path)]
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert "cycle 2026-10" in run.stdout and "cycle 2026-11" in run.stdout


def test_one_cycle_on_postgresql(demo_exports: Path, tmp_path: Path, postgres_url: str) -> None:
    result = materialize_cycle("2026-10", postgres_url, demo_exports, tmp_path / "reports")
    assert result.success
    _check_contract_tables(cycle_tables(postgres_url, "2026-10"))
