"""`cycle_runs`: which run wrote which version of a cycle, and whether it was published.

Grain: one row per Dagster run of a cycle (run_id), in the published schema. A run records
itself `running` when its warehouse resource starts; `publish` sets `published` in the
transaction that publishes the cycle; `sop` sets `failed` when its run fails, and `abandoned`
on runs of the cycle still `running` whose process is gone (it holds the cycle's lock, so no
other run of the cycle can be alive). BI tools read a cycle as complete when its newest row is
`published`: `SELECT cycle, status, finished_at FROM <schema>.cycle_runs`.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sop_pipeline.core.calendar import previous_cycle
from sop_pipeline.io.warehouse import Warehouse

CYCLE_RUNS = "cycle_runs"
COLUMNS = {
    "run_id": "text",
    "cycle": "date",
    "status": "text",  # running, published, failed, abandoned
    "started_at": "timestamp",
    "finished_at": "timestamp",
    "warehouse": "text",  # the URL, password masked
    "code_version": "text",
    "message": "text",
}
STATUSES = ("running", "published", "failed", "abandoned")


def record_started(
    warehouse: Warehouse, run_id: str, cycle: pd.Timestamp, warehouse_label: str, code: str
) -> None:
    """Run `run_id` of `cycle` is running (nothing changes when it is recorded already)."""
    with warehouse.transaction() as conn:
        warehouse.ensure_table(conn, CYCLE_RUNS, COLUMNS)
        known = conn.execute(
            sa.text(f"SELECT 1 FROM {warehouse.name(CYCLE_RUNS)} WHERE run_id = :run"),
            {"run": run_id},
        ).first()
        if known is None:
            conn.execute(
                sa.text(
                    f"INSERT INTO {warehouse.name(CYCLE_RUNS)} "
                    "(run_id, cycle, status, started_at, warehouse, code_version) "
                    "VALUES (:run, :cycle, 'running', :now, :label, :code)"
                ),
                {
                    "run": run_id,
                    "cycle": cycle.date(),
                    "now": _now(),
                    "label": warehouse_label,
                    "code": code,
                },
            )


def set_status(
    conn: Connection, warehouse: Warehouse, run_id: str, status: str, message: str | None = None
) -> None:
    """Inside a transaction: the run finished with `status`."""
    if status not in STATUSES:
        raise ValueError(f"unknown cycle run status {status!r}")
    warehouse.ensure_table(conn, CYCLE_RUNS, COLUMNS)
    conn.execute(
        sa.text(
            f"UPDATE {warehouse.name(CYCLE_RUNS)} SET status = :status, finished_at = :now, "
            "message = :message WHERE run_id = :run"
        ),
        {"status": status, "now": _now(), "message": message, "run": run_id},
    )


def record_finished(
    warehouse: Warehouse, run_id: str, status: str, message: str | None = None
) -> None:
    """Run `run_id` finished with `status` (its own transaction)."""
    with warehouse.transaction() as conn:
        set_status(conn, warehouse, run_id, status, message)


def abandon_others(warehouse: Warehouse, cycle: pd.Timestamp, run_id: str) -> int:
    """Runs of `cycle` other than `run_id` still `running` are `abandoned`; how many. Call it
    holding the cycle's lock: no such run can still be alive."""
    with warehouse.transaction() as conn:
        warehouse.ensure_table(conn, CYCLE_RUNS, COLUMNS)
        result = conn.execute(
            sa.text(
                f"UPDATE {warehouse.name(CYCLE_RUNS)} SET status = 'abandoned', "
                "message = 'the run stopped before it finished (killed or lost)' "
                "WHERE cycle = :cycle AND status = 'running' AND run_id <> :run"
            ),
            {"cycle": cycle.date(), "run": run_id},
        )
        return int(result.rowcount or 0)


def previous_cycle_warning(warehouse: Warehouse, cycle: pd.Timestamp) -> str | None:
    """What a run of `cycle` should know when the cycle before it is not complete (its newest
    run not `published`): which version it plans on instead. None when that cycle is complete
    or never ran here."""
    previous = previous_cycle(cycle)
    runs = cycle_runs(warehouse)
    runs = runs[pd.to_datetime(runs["cycle"]) == previous]
    if runs.empty or runs["status"].iloc[-1] == "published":
        return None
    newest = runs.iloc[-1]
    published = runs.loc[runs["status"] == "published", "run_id"]
    basis = (
        f"plans on {previous:%Y-%m} as run {published.iloc[-1]} published it"
        if len(published)
        else f"plans without it ({previous:%Y-%m} was never published)"
    )
    return (
        f"cycle {previous:%Y-%m} is not complete (its newest run {newest['run_id']} is "
        f"{newest['status']}): cycle {cycle:%Y-%m} {basis}"
    )


def cycle_runs(warehouse: Warehouse) -> pd.DataFrame:
    """Every recorded run, oldest first."""
    rows = warehouse.read(CYCLE_RUNS, columns=COLUMNS)
    return rows.sort_values("started_at", kind="stable").reset_index(drop=True)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)  # stored as UTC
