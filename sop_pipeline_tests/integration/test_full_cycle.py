"""Full planning cycles end to end, with dbt, on DuckDB and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sop_pipeline.core.tables import OUTPUT_TABLES
from sop_pipeline_tests.cycles import cycle_tables, materialize_cycle

pytestmark = pytest.mark.integration

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

    assert materialize_cycle("2026-11", url, demo_exports, reports).success
    again = cycle_tables(url, "2026-11")
    for name in OUTPUT_TABLES:
        pd.testing.assert_frame_equal(
            first[name], again[name], check_exact=False, rtol=1e-6, obj=name
        )


def test_one_cycle_on_postgresql(demo_exports: Path, tmp_path: Path, postgres_url: str) -> None:
    result = materialize_cycle("2026-10", postgres_url, demo_exports, tmp_path / "reports")
    assert result.success
    _check_contract_tables(cycle_tables(postgres_url, "2026-10"))
