"""What a failed cycle says: the most specific cause of a real exception chain, secrets masked,
the warehouse checked before a run, and a heartbeat on long steps."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from dagster import job, op
from dagster._utils.error import serializable_error_info_from_exc_info

from sop_pipeline.core.collection.errors import ExportError
from sop_pipeline.defs import progress
from sop_pipeline.defs.failures import cause_line
from sop_pipeline.defs.progress import Heartbeat
from sop_pipeline.io.preflight import WarehouseUnavailable, check_warehouse
from sop_pipeline.io.run_tags import code_version, mask_secrets, masked_url, run_tags


def _error_of(raise_it: object) -> object:
    try:
        raise_it()  # type: ignore[operator]
    except Exception:
        return serializable_error_info_from_exc_info(sys.exc_info())
    raise AssertionError("nothing raised")


def _empty_csv_read_by_the_collection(path: Path) -> None:
    path.write_bytes(b"")
    try:
        pd.read_csv(path)
    except pd.errors.EmptyDataError as exc:
        raise ExportError(f"{path.name}: the file is empty (no header row)") from exc


def test_the_cause_keeps_the_file_name_and_the_innermost_error(tmp_path: Path) -> None:
    error = _error_of(lambda: _empty_csv_read_by_the_collection(tmp_path / "sales_history.csv"))
    line = cause_line(error)  # type: ignore[arg-type]
    assert line == (
        "ExportError: sales_history.csv: the file is empty (no header row) "
        "(caused by EmptyDataError: No columns to parse from file)"
    )
    assert "\n" not in line


def test_a_single_error_is_its_class_and_message() -> None:
    def fail() -> None:
        raise ValueError("table kpi: column value is not a number")

    assert cause_line(_error_of(fail)) == "ValueError: table kpi: column value is not a number"  # type: ignore[arg-type]


def test_passwords_are_masked_in_urls_and_in_any_text() -> None:
    url = "postgresql+psycopg://planner:s3cr%40t@db.example:5432/sop"
    assert masked_url(url) == "postgresql+psycopg://planner:***@db.example:5432/sop"
    text = f"could not write to {url} with password s3cr@t"
    masked = mask_secrets(text, url)
    assert "s3cr" not in masked and masked.count("***") == 2
    assert run_tags(url)["sop/warehouse"] == "postgresql+psycopg://planner:***@db.example:5432/sop"
    assert run_tags(url)["sop/code_version"] == code_version()
    assert code_version().startswith("0.")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"port": 1}, "Connection refused"),
        ({"database": "no_such_database"}, 'database "no_such_database" does not exist'),
        ({"host": "no-such-host.invalid"}, "no-such-host.invalid"),
    ],
)
def test_a_wrong_postgresql_url_fails_in_seconds_with_the_password_masked(
    postgres_url: str, change: dict[str, object], expected: str
) -> None:
    from sqlalchemy.engine import make_url

    url = make_url(postgres_url).set(password="s3cret", **change)  # type: ignore[arg-type]
    started = time.perf_counter()
    with pytest.raises(WarehouseUnavailable) as failure:
        check_warehouse(url.render_as_string(hide_password=False), "sop")
    assert time.perf_counter() - started < 10
    message = str(failure.value)
    assert expected in message and "s3cret" not in message and ":***@" in message
    assert "\n" not in message


def test_a_reachable_warehouse_passes_and_keeps_no_probe_table(postgres_url: str) -> None:
    import sqlalchemy as sa

    assert check_warehouse(postgres_url, "preflight_probe") < 10
    engine = sa.create_engine(postgres_url)
    with engine.connect() as conn:
        schemas = conn.exec_driver_sql("SELECT schema_name FROM information_schema.schemata")
        assert "preflight_probe" not in {row[0] for row in schemas}
    engine.dispose()


def test_a_duckdb_file_that_cannot_be_opened_and_a_bad_schema_name_are_refused(
    tmp_path: Path,
) -> None:
    (tmp_path / "a_file").write_text("not a folder")
    with pytest.raises(WarehouseUnavailable, match="is not usable: FileExistsError"):
        check_warehouse(f"duckdb:///{tmp_path / 'a_file' / 'w.duckdb'}", "sop")
    assert check_warehouse(f"duckdb:///{tmp_path / 'new' / 'dir' / 'w.duckdb'}", "sop") < 10
    with pytest.raises(WarehouseUnavailable, match="schema name .* is not valid"):
        check_warehouse(f"duckdb:///{tmp_path / 'w.duckdb'}", 'sop"; DROP TABLE x; --')
    assert check_warehouse(f"duckdb:///{tmp_path / 'w.duckdb'}", "sop") < 10


def test_the_heartbeat_shows_a_long_step_every_interval(capsys: pytest.CaptureFixture[str]) -> None:
    heartbeat = Heartbeat(interval=0.3)
    heartbeat.start("coherent_forecast")
    time.sleep(1.1)
    heartbeat.stop("coherent_forecast")
    time.sleep(0.5)
    lines = capsys.readouterr().err.splitlines()
    assert 2 <= len(lines) <= 4, lines
    assert all(
        line.split()[0] == "running" and line.endswith("coherent_forecast") for line in lines
    )


def test_the_heartbeat_says_what_a_dbt_step_has_built(capsys: pytest.CaptureFixture[str]) -> None:
    heartbeat = Heartbeat(interval=0.3)
    heartbeat.start("sop_dbt_marts")
    for _ in range(3):
        heartbeat.count("sop_dbt_marts", "tables built")
    heartbeat.count("sop_dbt_marts", "checks run")
    heartbeat.count("another_step", "tables built")  # not running: not counted
    time.sleep(0.5)
    heartbeat.stop("sop_dbt_marts")
    lines = capsys.readouterr().err.splitlines()
    assert lines and lines[0].endswith("sop_dbt_marts (3 tables built, 1 checks run)"), lines


def test_the_heartbeat_says_how_many_series_the_forecast_has_done(
    capsys: pytest.CaptureFixture[str],
) -> None:
    heartbeat = Heartbeat(interval=0.3)
    heartbeat.start("coherent_forecast")
    heartbeat.progress("coherent_forecast", "1200/5000 series forecast")
    heartbeat.progress("another_step", "1/2 series forecast")  # not running: not shown
    time.sleep(0.5)
    heartbeat.progress("coherent_forecast", "5000/5000 series forecast")
    time.sleep(0.4)
    heartbeat.stop("coherent_forecast")
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) >= 2, lines
    assert lines[0].endswith("  coherent_forecast (1200/5000 series forecast)"), lines
    assert lines[-1].endswith("  coherent_forecast (5000/5000 series forecast)"), lines


@pytest.mark.integration
def test_a_step_reporting_progress_shows_it_in_the_heartbeat_of_a_real_run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress, "HEARTBEAT_SECONDS", 0.3)

    @op
    def counting_series(context) -> None:  # type: ignore[no-untyped-def]  # Dagster reads it
        report = progress.progress_reporter(context.log, "series forecast")
        for done in (1, 2):
            report(done, 2)
            time.sleep(0.5)

    @job(logger_defs={"progress": progress.progress_logger})
    def counting() -> None:
        counting_series()

    assert counting.execute_in_process(run_config={"loggers": {"progress": {}}}).success
    running = [line for line in capsys.readouterr().err.splitlines() if "running" in line]
    assert running and running[0].endswith("counting_series (1/2 series forecast)"), running
    assert running[-1].endswith("counting_series (2/2 series forecast)"), running


def test_the_highs_banner_stays_out_of_the_terminal(tmp_path: Path) -> None:
    import subprocess

    script = tmp_path / "solve.py"
    script.write_text(
        "import numpy as np, scipy.sparse as sp\n"
        "from sop_pipeline.core.supply.solver import LpModel, solve_lp\n"
        "one = np.array([1.0]); zero = np.array([0.0]); cells = np.array([0])\n"
        "matrix = sp.csc_matrix(np.ones((1, 1)))\n"
        "model = LpModel(matrix, one, 0.0, zero, one, zero, one, cells, cells)\n"
        "print('objective', solve_lp(model)[2])\n"
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True)
    assert done.stdout == "objective 0.0\n" and "HiGHS" not in done.stderr
