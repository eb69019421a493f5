"""A run killed hard publishes nothing: `kill -9` of `sop run`, re-running a loaded cycle with
changed inputs, at five points on DuckDB (during the forecast, inside a table write, between two
step writes, during dbt, after dbt before publish) and at the three of them inside SQL or dbt on
PostgreSQL, both at once. After each kill every published table and mart holds exactly the
previous version and dbt died with its run. A last re-run, killed after its publishing commit
before its files moved out of reports/.pending/, has published the new version, the killed runs
are recorded as abandoned, and the next `sop` command moves its files into place."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import psutil
import pytest
import sqlalchemy as sa

from sop_pipeline.core.tables import warehouse_tables
from sop_pipeline.io.cycle_runs import cycle_runs
from sop_pipeline.io.pause_points import PAUSE_VARIABLE
from sop_pipeline.io.pending_files import pending_reports
from sop_pipeline.io.reports import MPS_FILE, PACK_FILE
from sop_pipeline.io.warehouse import Warehouse

pytestmark = pytest.mark.integration

CYCLE = "2026-10"
SOP = str(Path(sys.executable).parent / "sop")
STEP_TIMEOUT = 600


def _is(state: str, step: str) -> Callable[[str], bool]:
    """A progress line saying `step` is in `state` (`started`, `done`)."""
    return lambda line: line.split()[:1] == [state] and step in line.replace(":", " ").split()


# (name, $SOP_PAUSE_AT, the stderr line to kill at, seconds to wait after it)
Point = tuple[str, str | None, Callable[[str], bool], float]
POINTS: list[Point] = [
    ("during the forecast", None, _is("started", "coherent_forecast"), 1.0),
    ("inside a table write", "write:demand_plan", lambda line: "paused at write:" in line, 0.0),
    ("between two step writes", None, _is("done", "consensus_demand"), 0.0),
    ("during dbt", None, _is("started", "sop_dbt_marts"), 4.0),
    ("after dbt, before publish", "publish", lambda line: "paused at publish" in line, 0.0),
]
# on PostgreSQL the points where the warehouse is in the middle of a transaction or of dbt (the
# others run the same Python on both warehouses)
POINTS_IN_SQL = [point for point in POINTS if point[1] or "dbt" in point[0]]


@pytest.fixture(scope="module")
def drops(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A small company's drop of the cycle, and the same drop with 1.5 x the sales."""
    from sop_pipeline.demo import write_demo_exports

    first = tmp_path_factory.mktemp("first")
    write_demo_exports(first, last_cycle=CYCLE, months=30, n_skus=12, seed=5, full_history_at=CYCLE)
    changed = tmp_path_factory.mktemp("changed")
    shutil.copytree(first / CYCLE, changed / CYCLE)
    sales_file = changed / CYCLE / "sales_history.csv"
    sales = pd.read_csv(sales_file, encoding="utf-8-sig", dtype=str)
    for column in ("quantity", "net_revenue"):  # the demo's few bad cells stay as they are
        numbers = pd.to_numeric(sales[column], errors="coerce")
        sales[column] = (numbers * 1.5).round(2).astype(str).where(numbers.notna(), sales[column])
    sales.to_csv(sales_file, index=False)
    return first, changed


def published(url: str, schema: str) -> dict[str, pd.DataFrame]:
    """Every published table (cycle_runs aside) and mart, rows sorted: what a reader sees."""
    warehouse = Warehouse(url, schema)
    marts = warehouse.sibling("_marts")
    seen = {}
    for source, names in ((warehouse, list(warehouse_tables())), (marts, _tables(marts))):
        for name in names:
            rows = source.read(name)
            seen[f"{source.schema}.{name}"] = rows.sort_values(list(rows.columns)).reset_index(
                drop=True
            )
    return seen


def _tables(warehouse: Warehouse) -> list[str]:
    with warehouse.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT table_name FROM information_schema.tables WHERE table_schema = :s"),
            {"s": warehouse.schema},
        )
        return sorted(str(row[0]) for row in rows)


def sop_environment(home: Path, schema: str, pause_at: str | None = None) -> dict[str, str]:
    env = {**os.environ, "DAGSTER_HOME": str(home), "SOP_SCHEMA": schema}
    env.pop(PAUSE_VARIABLE, None)
    if pause_at:
        env[PAUSE_VARIABLE] = pause_at
    return env


def start_run(
    drop: Path, url: str, schema: str, home: Path, pause_at: str | None = None
) -> subprocess.Popen[str]:
    """`sop run` of the cycle as a process of its own, stderr (its progress) piped."""
    env = sop_environment(home, schema, pause_at)
    command = [SOP, "run", "--exports", str(drop), "--cycle", CYCLE, "--warehouse", url]
    command += ["--reports", str(home / "reports"), "--horizon", "12"]
    return subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True, cwd=home)


def lines_until(run: subprocess.Popen[str], seen: Callable[[str], bool]) -> Iterator[str]:
    """The run's stderr lines up to the first one `seen` accepts; fails if the run ends first."""
    assert run.stderr is not None
    timer = threading.Timer(STEP_TIMEOUT, run.kill)
    timer.start()
    try:
        for line in run.stderr:
            yield line
            if seen(line):
                return
    finally:
        timer.cancel()
    raise AssertionError(f"the run ended (exit {run.wait()}) before the kill point")


def kill_hard(run: subprocess.Popen[str]) -> dict[psutil.Process, str]:
    """kill -9 of the run; its children, with their command lines, as they were just before."""
    children = {}
    for child in psutil.Process(run.pid).children(recursive=True):
        with contextlib.suppress(psutil.Error):  # a child that ended meanwhile
            children[child] = " ".join(child.cmdline())
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    return children


def survivors(children: dict[psutil.Process, str], timeout: float = 15) -> list[str]:
    """The children still alive after `timeout` s (a zombie waiting for its reaper is dead)."""
    deadline = time.monotonic() + timeout
    alive = list(children)
    while alive and time.monotonic() < deadline:
        alive = [child for child in alive if _alive(child)]
        time.sleep(0.2)
    return [children[child] for child in alive]


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def kill_at_every_point(
    url: str, drops: tuple[Path, Path], home: Path, points: list[Point]
) -> None:
    """Load the cycle, kill a re-run with changed inputs at each point checking the published
    version after each; then kill one after its publishing commit, before its files moved: the
    new version is published and the next command moves its files into place."""
    first, changed = drops
    schema = f"killed_{uuid.uuid4().hex[:8]}"  # the PostgreSQL database is shared by the tests
    home.mkdir()
    loaded = start_run(first, url, schema, home)
    assert loaded.wait(timeout=STEP_TIMEOUT) == 0, "loading the cycle failed"
    before = published(url, schema)
    assert len(before[f"{schema}.supply_plan"]) > 0

    for name, pause_at, kill_at, wait in points:
        run = start_run(changed, url, schema, home, pause_at)
        output = list(lines_until(run, kill_at))
        time.sleep(wait)
        children = kill_hard(run)
        if name == "during dbt":
            assert any("dbt" in command for command in children.values()), output
        assert not survivors(children), f"{name}: children outlived the run"
        after = published(url, schema)
        assert after.keys() == before.keys(), name
        for table, rows in before.items():
            pd.testing.assert_frame_equal(after[table], rows, obj=f"{url} {name}: {table}")

    last = start_run(changed, url, schema, home, "published")
    list(lines_until(last, lambda line: "paused at published" in line))
    kill_hard(last)
    after = published(url, schema)
    sales = after[f"{schema}.sales_actuals"]["quantity"].sum()
    assert sales == pytest.approx(
        1.5 * before[f"{schema}.sales_actuals"]["quantity"].sum(), rel=0.01
    )
    runs = cycle_runs(Warehouse(url, schema))
    assert runs["status"].tolist() == ["published", *["abandoned"] * len(points), "published"]
    next_command_moves_the_files(url, schema, home, str(runs["run_id"].iloc[-1]))


def next_command_moves_the_files(url: str, schema: str, home: Path, run_id: str) -> None:
    """The files of the run killed after publishing wait in .pending/ (the killed runs' files
    were deleted unshown) until the next command, here the executive S&OP approving the cycle,
    moves them into place."""
    reports = home / "reports"
    (waiting,) = (pending_reports(reports) / CYCLE).iterdir()
    assert waiting.name == run_id and (waiting / MPS_FILE).exists()
    approve = [SOP, "approve", "--cycle", CYCLE, "--scenario", "baseline", "--by", "board"]
    approve += ["--warehouse", url, "--reports", str(reports)]
    done = subprocess.run(
        approve, env=sop_environment(home, schema), capture_output=True, text=True, cwd=home
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(
        f"cycle {CYCLE}: run {run_id}'s published mps.csv and sop_pack.html moved into place"
    )
    assert not waiting.exists()
    assert set(pd.read_csv(reports / CYCLE / MPS_FILE)["status"]) == {"released"}
    assert "meeting pack (approval status updated)" in done.stdout  # the published pack, redrawn
    assert (reports / CYCLE / PACK_FILE).exists()


def test_a_run_killed_anywhere_leaves_the_previous_version_whole(
    drops: tuple[Path, Path], postgres_url: str, tmp_path: Path
) -> None:
    # both warehouses at once: each sequence is mostly waiting on its own processes
    sequences = [(f"duckdb:///{tmp_path / 'sop.duckdb'}", POINTS), (postgres_url, POINTS_IN_SQL)]
    with ThreadPoolExecutor(max_workers=len(sequences)) as pool:
        runs = [
            pool.submit(kill_at_every_point, url, drops, tmp_path / f"home_{n}", points)
            for n, (url, points) in enumerate(sequences)
        ]
        for run in runs:
            run.result()
