"""`sop template` and `sop validate`: the template drop validates cleanly, a broken drop is
reported with its blocking errors and the threshold verdict, exit 1, and nothing is written to
a warehouse."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from sop_pipeline.cli import main
from sop_pipeline.core.contracts import CONTRACTS
from sop_pipeline.onboarding import validate_drop


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_template_writes_every_file_with_header_and_two_rows(tmp_path: Path) -> None:
    code, output = invoke("template", "--dir", str(tmp_path / "2026-11"))
    assert code == 0 and "wrote 13 files" in output
    for contract in CONTRACTS.values():
        frame = pd.read_csv(tmp_path / "2026-11" / f"{contract.name}.csv", dtype=str)
        assert list(frame.columns) == contract.column_names
        assert len(frame) == 2


def test_the_template_drop_validates_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    invoke("template", "--dir", str(tmp_path / "exports" / "2026-11"))
    code, output = invoke("validate", "--exports", str(tmp_path / "exports"), "--cycle", "2026-11")
    assert code == 0, output
    assert (
        "2026-11/items.csv (items): encoding utf_8, delimiter ',', sheets n/a; rows read 2, "
        "loaded 2, quarantined 0"
    ) in output
    assert output.count("quarantined 0") == len(CONTRACTS)
    assert "warning: sales_history holds 1 months; a new warehouse needs 24" in output
    assert output.rstrip().endswith("verdict: the drop would run")
    assert not list(tmp_path.glob("*.duckdb"))  # the warehouse is never touched


def test_validate_reports_blocking_errors_and_exits_1(tmp_path: Path) -> None:
    drop = tmp_path / "exports" / "2026-11"
    invoke("template", "--dir", str(drop))
    (drop / "inventory.csv").write_text("sku,site\nTEA-001,main\n")
    code, output = invoke("validate", "--exports", str(tmp_path / "exports"), "--cycle", "2026-11")
    assert code == 1
    assert "BLOCKING: 2026-11/inventory.csv: required column(s) on_hand missing" in output
    assert output.rstrip().endswith("verdict: the drop would NOT run")


def test_validate_gives_the_threshold_verdict_with_sample_rows(tmp_path: Path) -> None:
    drop = tmp_path / "exports" / "2026-11"
    invoke("template", "--dir", str(drop))
    lines = ["line_id,ship_date,sku,region,quantity,net_revenue"]
    lines += [f"{n},2026-10-05,TEA-001,North,5,10" for n in range(20)]
    lines += [f"b{n},2026-10-05,TEA-001,North,inf,10" for n in range(5)]
    (drop / "sales_history.csv").write_text("\n".join(lines) + "\n")
    code, output = invoke("validate", "--exports", str(tmp_path / "exports"), "--cycle", "2026-11")
    assert code == 1
    assert "  not_finite: 5 row(s)" in output
    assert "    row 22 quantity='inf'" in output
    assert (
        "THRESHOLD: sales_history (2026-11/sales_history.csv): 5 of 25 rows quarantined "
        "(20.0% > 2.0%): not_finite 5; e.g. rows 22, 23, 24, 25, 26"
    ) in output


def test_validate_on_the_demo_drop_would_run(demo_exports: Path) -> None:
    report = validate_drop(demo_exports, pd.Timestamp("2026-11-01"))
    assert report.would_run, report.blocking + report.breaches
    sales = report.collected["sales_history"]
    assert sales.rows_quarantined == 4
    assert sales.read_as["encoding"] == "utf_8 with BOM"
    assert report.collected["inventory"].read_as["sheets"] == "inventory"
