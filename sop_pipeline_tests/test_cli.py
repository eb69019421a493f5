"""The `sop` command line: help on every command, user mistakes as one-line errors, and the
forecast command on a real CSV."""

from __future__ import annotations

import re
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from dagster import DagsterInstance

from sop_pipeline.cli import main
from sop_pipeline.io.warehouse import Warehouse
from sop_pipeline_tests.cycles import drop_without

COMMANDS = ["run", "backfill", "demo", "simulate", "forecast", "approve"]
FIRST_FORECAST_MONTH = pd.Timestamp("2026-01-01")  # after the history file's last month


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    code, output = invoke(command, "--help")
    assert code == 0
    assert "Usage:" in output and "--help" in output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["run", "--exports", "/no/such/dir", "--cycle", "2026-11"], "'/no/such/dir' does not"),
        (["run", "--exports", ".", "--cycle", "2026-13"], "write it as YYYY-MM"),
        (["run", "--exports", ".", "--cycle", "Nov 2026"], "write it as YYYY-MM"),
        (
            ["run", "--exports", ".", "--cycle", "2026-11", "--warehouse", "mysql://h/db"],
            "unsupported warehouse 'mysql'",
        ),
        (
            ["run", "--exports", ".", "--cycle", "2026-11", "--warehouse", "mysql://u:pw9@h/db"],
            "'mysql://u:***@h/db'",
        ),
        (["backfill", "--exports", ".", "--from", "2026-11", "--to", "2026-09"], "--to comes"),
        (["forecast", "no_such.csv", "--horizon", "3", "--output", "o.csv"], "does not exist"),
    ],
)
def test_user_mistakes_end_with_one_line_and_exit_code_2(args: list[str], expected: str) -> None:
    code, output = invoke(*args)
    assert code == 2
    assert output.count("\n") == 1 and output.startswith("sop: error:"), output
    assert expected in output


def test_a_cycle_without_its_drop_folder_is_a_user_mistake(tmp_path: Path) -> None:
    code, output = invoke("run", "--exports", str(tmp_path), "--cycle", "2026-11")
    assert code == 2
    assert "no export drop for cycle(s) 2026-11" in output


@pytest.mark.parametrize("command", ["run", "backfill"])
def test_a_broken_mapping_file_is_a_user_mistake(tmp_path: Path, command: str) -> None:
    (tmp_path / "2026-11").mkdir()
    mapping = tmp_path / "sap.yaml"
    mapping.write_text("sales_history:\n  delimeter: ';'\n")
    cycles = (
        ["--cycle", "2026-11"] if command == "run" else ["--from", "2026-11", "--to", "2026-11"]
    )
    code, output = invoke(command, "--exports", str(tmp_path), *cycles, "--mapping", str(mapping))
    assert code == 2
    assert output.count("\n") == 1 and output.startswith("sop: error:"), output
    assert "sales_history: unknown setting(s) delimeter" in output


def test_a_wrong_warehouse_port_fails_in_seconds_with_exit_2_and_the_password_masked(
    demo_exports: Path, postgres_url: str
) -> None:
    from sqlalchemy.engine import make_url

    url = make_url(postgres_url).set(port=1, password="s3cret").render_as_string(False)
    started = time.perf_counter()
    code, output = invoke(
        "run", "--exports", str(demo_exports), "--cycle", "2026-11", "--warehouse", url
    )
    assert code == 2 and time.perf_counter() - started < 15
    assert output.count("\n") == 1 and output.startswith("sop: error:"), output
    assert "Connection refused" in output and "s3cret" not in output and ":***@" in output


def _run_failing(exports: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / ".dagster"))
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    code, output = invoke(
        "run", "--exports", str(exports), "--cycle", "2026-11", "--warehouse", url
    )
    assert code == 1, output
    return output.strip().splitlines()


@pytest.mark.integration
def test_a_cycle_missing_items_fails_with_the_step_and_the_file(
    demo_exports: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = _run_failing(drop_without(demo_exports, tmp_path, "items"), tmp_path, monkeypatch)
    assert lines[-1].startswith("sop: error: cycle 2026-11 failed: step items: ")
    assert "required file 'items' missing" in lines[-1]
    assert re.search(r"; \d+ later steps skipped \(full log: ", lines[-1]), lines[-1]
    progress = [line.split() for line in lines if line.startswith("  ")]
    assert any(words[:2] == ["started", "items:"] for words in progress), "what it does"
    failed = [line for line in lines if line.split()[:2] == ["FAILED", "items:"]]
    assert len(failed) == 1 and "required file 'items' missing" in failed[0], (
        "the cause comes first"
    )
    assert not any("Not executing" in line for line in lines), "the cascade is one count"


@pytest.mark.integration
def test_an_empty_sales_file_names_the_file_and_the_run_log_holds_the_whole_run(
    demo_exports: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exports = drop_without(demo_exports, tmp_path, "sales_history")
    (exports / "2026-11" / "sales_history.csv").write_bytes(b"")
    lines = _run_failing(exports, tmp_path, monkeypatch)
    assert "step sales_lines: ExportError: sales_history.csv: the file is empty" in lines[-1]
    assert "later steps skipped" in lines[-1], "one line: cause, then the cascade folded"
    log = (tmp_path / "reports" / "2026-11" / "run.log").read_text()
    assert "STEP_FAILURE" in log and "sales_history.csv: the file is empty" in log
    assert 'File "' in log, "with the stack of the failure"
    assert "Not executing" in log, "the cascade is in the log, not in the terminal"
    run = DagsterInstance.from_config(str(tmp_path / ".dagster")).get_runs()[0]
    assert run.tags["sop/warehouse"] == f"duckdb:///{tmp_path / 'w.duckdb'}"
    assert run.tags["sop/code_version"].startswith("0.")


def _long_format_history(path: Path) -> None:
    months = pd.date_range("2023-01-01", periods=36, freq="MS")
    seasonal = 100 + 30 * np.sin(2 * np.pi * np.arange(36) / 12)
    rows = [
        pd.DataFrame({"unique_id": "seasonal", "ds": months, "y": seasonal}),
        pd.DataFrame({"unique_id": "flat", "ds": months[::2], "y": 10.0}),  # gaps count as zero
    ]
    pd.concat(rows).to_csv(path, index=False, date_format="%Y-%m-%d")


def test_forecast_writes_every_series_over_the_horizon(tmp_path: Path) -> None:
    source, target = tmp_path / "history.csv", tmp_path / "out" / "forecast.csv"
    _long_format_history(source)
    code, output = invoke("forecast", str(source), "--horizon", "6", "--output", str(target))
    assert code == 0, output
    forecast = pd.read_csv(target, parse_dates=["ds"])
    assert list(forecast.columns) == [
        "unique_id",
        "ds",
        "forecast",
        "model",
        "lo_80",
        "hi_80",
        "lo_95",
        "hi_95",
    ]
    assert forecast.groupby("unique_id").size().to_dict() == {"flat": 6, "seasonal": 6}
    starts = forecast.groupby("unique_id")["ds"].min()  # the month after each one's last row
    flat_start = pd.Timestamp("2025-12-01")  # its last row is 2025-11
    assert starts.to_dict() == {"flat": flat_start, "seasonal": FIRST_FORECAST_MONTH}
    assert (forecast["forecast"] >= 0).all()
    assert (forecast["lo_95"] <= forecast["forecast"]).all()
    assert (forecast["forecast"] <= forecast["hi_95"]).all()


def test_forecast_panel_end_fills_every_series_to_the_last_month(tmp_path: Path) -> None:
    source, target = tmp_path / "history.csv", tmp_path / "forecast.csv"
    _long_format_history(source)
    code, output = invoke(
        "forecast", str(source), "--horizon", "2", "--panel-end", "--output", str(target)
    )
    assert code == 0, output
    starts = pd.read_csv(target, parse_dates=["ds"]).groupby("unique_id")["ds"].min()
    assert starts.to_dict() == {"flat": FIRST_FORECAST_MONTH, "seasonal": FIRST_FORECAST_MONTH}


def test_forecast_names_the_file_row_and_column_of_a_bad_value(tmp_path: Path) -> None:
    source = tmp_path / "history.csv"
    source.write_text("unique_id,ds,y\na,2026-01-01,5\na,2026-02-01,five\n")
    code, output = invoke("forecast", str(source), "--horizon", "3", "--output", "o.csv")
    assert code == 1
    assert output.strip() == "sop: error: history.csv: row 3, column y: not a valid value"


@pytest.mark.integration
def test_demo_plans_a_cycle_prints_the_kpis_and_honours_the_schema_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / ".dagster"))
    monkeypatch.setenv("SOP_SCHEMA", "plan")
    monkeypatch.delenv("SOP_CURRENCY", raising=False)
    code, output = invoke(
        "demo", "--dir", str(tmp_path), "--last-cycle", "2026-11", "--cycles", "1", "--skus", "12"
    )
    assert code == 0, output
    assert "KPI summary, cycle 2026-11 (baseline, total; money in EUR)" in output
    assert "Approval: proposed (not yet approved)" in output
    assert any(line.split()[:1] == ["planned_fill_rate"] for line in output.splitlines())
    assert (tmp_path / "reports" / "2026-11" / "sop_pack.html").exists()
    assert "tables in schema 'plan', marts in 'plan_marts'" in output
    url = f"duckdb:///{(tmp_path / 'sop.duckdb').resolve()}"
    assert len(Warehouse(url, schema="plan").read("kpi", pd.Timestamp("2026-11-01"))) > 0
    assert len(Warehouse(url, schema="plan_marts").read("executive_summary")) > 0
    runs = DagsterInstance.from_config(str(tmp_path / ".dagster")).get_runs()
    assert [run.job_name for run in runs] == ["sop_cycle"], "the run shows in the Dagster UI"


def test_simulate_refuses_a_folder_that_holds_a_run_and_more_than_36_cycles(
    tmp_path: Path,
) -> None:
    (tmp_path / "exports").mkdir()
    code, output = invoke("simulate", "--dir", str(tmp_path), "--cycles", "2")
    assert code == 2
    assert "already holds a closed-loop run" in output and "--dir" in output
    code, output = invoke("simulate", "--dir", str(tmp_path / "new"), "--cycles", "37")
    assert code == 2 and "37" in output
