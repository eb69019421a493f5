"""One writer per cycle: overlapping replaces never duplicate rows, a second run of a cycle
fails at once naming the first, and a run killed hard leaves no stale lock. DuckDB and
PostgreSQL, with real threads and processes."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest

from sop_pipeline.core.tables import OUTPUT_TABLES
from sop_pipeline.io.cycle_lock import CycleBusy, cycle_lock
from sop_pipeline.io.warehouse import TableWrite, Warehouse

CYCLE = pd.Timestamp("2026-11-01")
ROWS = 100


@pytest.fixture(params=["duckdb", pytest.param("postgresql", marks=pytest.mark.integration)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "duckdb":
        return f"duckdb:///{tmp_path / 'w.duckdb'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def schema() -> str:
    return f"w_{uuid.uuid4().hex[:10]}"  # a fresh schema: the tables are created in the race


def _mps(quantity: float) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sku": [f"S{i:03d}" for i in range(ROWS)],
            "month": [CYCLE] * ROWS,
            "quantity": [quantity] * ROWS,
            "firm": [True] * ROWS,
        }
    )


def replace_mps(url: str, schema: str, quantity: float) -> None:
    """One writer: replace the cycle's mps rows (module level, so a process can run it)."""
    write = TableWrite("mps", OUTPUT_TABLES["mps"].columns, _mps(quantity))
    Warehouse(url, schema).replace(CYCLE, [write])


def _assert_one_writers_rows(url: str, schema: str, writers: int) -> None:
    rows = Warehouse(url, schema).read("mps", CYCLE)
    assert len(rows) == ROWS and not rows["sku"].duplicated().any()
    assert rows["quantity"].nunique() == 1 and rows["quantity"].iloc[0] in range(writers)


def test_concurrent_replaces_in_threads_leave_one_writers_rows(url: str, schema: str) -> None:
    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(lambda n: replace_mps(url, schema, float(n)), range(6)))
    _assert_one_writers_rows(url, schema, 6)


def test_concurrent_replaces_in_processes_leave_one_writers_rows(url: str, schema: str) -> None:
    spawn = multiprocessing.get_context("spawn")
    writers = [spawn.Process(target=replace_mps, args=(url, schema, float(n))) for n in range(3)]
    for writer in writers:
        writer.start()
    # joined with a deadline and killed after it: once a spawned writer that had ignored
    # SIGTERM never exited, and a pool's terminate-and-join waited for it for hours
    for writer in writers:
        writer.join(timeout=120)
    stuck = [w.pid for w in writers if w.is_alive()]
    for writer in writers:
        writer.kill()
        writer.join()
    assert not stuck, f"writer processes {stuck} did not finish within 120 s"
    assert [w.exitcode for w in writers] == [0, 0, 0]
    _assert_one_writers_rows(url, schema, 3)


def test_a_second_run_of_a_cycle_fails_at_once_naming_the_first(url: str, schema: str) -> None:
    warehouse = Warehouse(url, schema)
    with cycle_lock(warehouse, CYCLE, "run-first"):
        started = time.perf_counter()
        with pytest.raises(CycleBusy) as raised:
            with cycle_lock(Warehouse(url, schema), CYCLE, "run-second"):
                pass
        assert time.perf_counter() - started < 5
        message = str(raised.value)
        assert "run-first" in message and "2026-11" in message and "\n" not in message
        with cycle_lock(warehouse, CYCLE + pd.DateOffset(months=1), "run-other-cycle"):
            pass  # another cycle is free
    with cycle_lock(warehouse, CYCLE, "run-after"):
        pass  # released with its run


def hold_cycle(url: str, schema: str, run_id: str) -> None:
    """A run that holds the cycle until it is killed."""
    with cycle_lock(Warehouse(url, schema), CYCLE, run_id):
        time.sleep(120)


def test_a_run_killed_hard_leaves_no_stale_lock(url: str, schema: str) -> None:
    holder = multiprocessing.get_context("spawn").Process(
        target=hold_cycle, args=(url, schema, "run-killed")
    )
    holder.start()
    try:
        message = _wait_until_busy(url, schema)
        assert "run-killed" in message
        assert url.startswith("postgresql") or f"pid {holder.pid}" in message
    finally:
        os.kill(holder.pid or 0, signal.SIGKILL)
        holder.join()
    deadline = time.monotonic() + 20  # PostgreSQL notices the dead session's socket closing
    while True:
        try:
            with cycle_lock(Warehouse(url, schema), CYCLE, "run-next"):
                return
        except CycleBusy:
            assert time.monotonic() < deadline, "the killed run's lock was never released"
            time.sleep(0.2)


def _wait_until_busy(url: str, schema: str) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with cycle_lock(Warehouse(url, schema), CYCLE, "probe"):
                pass
        except CycleBusy as busy:
            if "starting" not in str(busy):
                return str(busy)
        time.sleep(0.2)
    raise AssertionError("the holding process never took the lock")
