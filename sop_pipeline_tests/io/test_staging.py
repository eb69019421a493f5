"""Staging and publishing a cycle, without Dagster: staged rows are invisible to readers until
published, a run reads back what it staged, rows a dead run staged are never read nor
published, and publishing moves tables and marts in one go. DuckDB and PostgreSQL."""

from __future__ import annotations

import uuid
from pathlib import Path

import pandas as pd
import pytest

from sop_pipeline.io.staging import (
    create_overlay,
    next_version,
    publish_cycle,
    read_staged,
    stage,
    staging,
)
from sop_pipeline.io.warehouse import TableWrite, Warehouse

OCT, NOV = pd.Timestamp("2026-10-01"), pd.Timestamp("2026-11-01")
COLUMNS = {"cycle": "date", "sku": "text", "quantity": "float"}


@pytest.fixture(params=["duckdb", pytest.param("postgresql", marks=pytest.mark.integration)])
def warehouse(request: pytest.FixtureRequest, tmp_path: Path) -> Warehouse:
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    if request.param == "postgresql":
        url = str(request.getfixturevalue("postgres_url"))
    return Warehouse(url, f"s_{uuid.uuid4().hex[:8]}")


def _rows(*quantities: float) -> pd.DataFrame:
    return pd.DataFrame({"sku": [f"S{i}" for i in range(len(quantities))], "quantity": quantities})


def _write(quantities: tuple[float, ...], table: str = "plan") -> list[TableWrite]:
    return [TableWrite(table, COLUMNS, _rows(*quantities))]


def _quantities(frame: pd.DataFrame) -> list[float]:
    return sorted(frame["quantity"].tolist())


def test_staged_rows_are_read_by_their_run_only_and_published_whole(warehouse: Warehouse) -> None:
    warehouse.replace(OCT, _write((1.0,)))
    warehouse.replace(NOV, _write((2.0, 3.0)))  # the published version of November
    stage(warehouse, NOV, _write((20.0, 30.0, 40.0)), "run-b")
    stage(warehouse, NOV, _write((99.0,), "other"), "run-b")

    assert _quantities(warehouse.read("plan", NOV)) == [2.0, 3.0]  # readers: as before
    seen = read_staged(warehouse, "plan", "run-b", None, NOV, COLUMNS)
    assert _quantities(seen) == [1.0, 20.0, 30.0, 40.0]  # the run: its November, October
    assert _quantities(read_staged(warehouse, "plan", "run-c", None, NOV, COLUMNS)) == [1, 2, 3]

    counts = publish_cycle(warehouse, NOV, "run-b", marts=[])
    assert counts == {"other": 1, "plan": 3}
    assert _quantities(warehouse.read("plan", NOV)) == [20.0, 30.0, 40.0]
    assert _quantities(warehouse.read("plan", OCT)) == [1.0]
    assert _quantities(warehouse.read("other", NOV)) == [99.0]
    assert staging(warehouse).read("plan", NOV).empty  # nothing left staged


def test_rows_a_dead_run_staged_are_neither_read_nor_published(warehouse: Warehouse) -> None:
    warehouse.replace(NOV, _write((2.0,)))
    stage(warehouse, NOV, _write((5.0,)), "killed-run")
    stage(warehouse, NOV, _write((7.0,), "only_killed"), "killed-run")
    stage(warehouse, NOV, _write((8.0, 9.0)), "next-run")  # replaces what the dead run staged

    assert _quantities(read_staged(warehouse, "plan", "next-run", NOV, NOV, COLUMNS)) == [8, 9]
    assert read_staged(warehouse, "only_killed", "next-run", NOV, NOV, COLUMNS).empty
    publish_cycle(warehouse, NOV, "next-run", marts=[])
    assert _quantities(warehouse.read("plan", NOV)) == [8.0, 9.0]
    assert not warehouse.has_table("only_killed")  # the dead run's table was not published
    assert staging(warehouse).read("only_killed", NOV).empty  # and its rows are gone


def test_publishing_replaces_the_marts_rows_of_the_cycle_and_of_later_ones(
    warehouse: Warehouse,
) -> None:
    marts = warehouse.sibling("_marts")
    built = next_version(warehouse, NOV).sibling("_marts")
    marts.replace(OCT, _write((1.0,), "summary"))
    marts.replace(NOV, _write((2.0,), "summary"))
    marts.replace(NOV, _write((5.0,), "plain"))
    stage(warehouse, NOV, _write((3.0,)), "run-b")
    create_overlay(warehouse, NOV, "run-b", {"plan": COLUMNS})
    # the overlay is the warehouse as it will be; the marts start empty, as dbt finds them
    overlay = next_version(warehouse, NOV)
    assert _quantities(overlay.read("plan")) == [3.0]
    assert built.read("summary").empty and built.has_table("plain")
    built.replace(NOV, _write((20.0,), "summary"))  # what dbt would build for the cycle
    built.replace(pd.Timestamp("2026-12-01"), _write((30.0,), "summary"))  # a later cycle too
    publish_cycle(warehouse, NOV, "run-b", marts=["summary", "plain"])
    assert _quantities(marts.read("summary")) == [1.0, 20.0, 30.0]
    assert marts.read("plain").empty  # the cycle's rows replaced by none
    assert not overlay.has_table("plan")  # the next version's schemas are gone
