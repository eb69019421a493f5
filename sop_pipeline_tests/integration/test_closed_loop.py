"""A short closed loop with the real pipeline (`sop simulate`'s machinery): each cycle is
planned by the `sop_closed_loop` job (the planning steps of `sop_cycle`) from the drop the
simulated world wrote, the plant executes
the MPS the cycle published, and the next drop shows the outcome. Book-keeping only, no
scores: every cycle planned and reported, the released starts are the published MPS, the
books conserve units, the second drop shows the stock the first plan's month left."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sop_pipeline.core.calendar import month_start
from sop_pipeline.demo.months import month_labels, month_ordinal
from sop_pipeline.io.warehouse import Warehouse
from sop_pipeline.simulation.loop import POLICIES, LoopSettings, run_closed_loop

pytestmark = pytest.mark.integration

SETTINGS = LoopSettings(last=month_ordinal("2026-11"), cycles=2, skus=20, seed=3, horizon=12)


def test_a_closed_loop_plans_every_cycle_and_keeps_the_books(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sop_pipeline.closed_loop import PipelinePlanner

    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    monkeypatch.setenv("SOP_SCHEMA", "closed_loop")
    url = f"duckdb:///{tmp_path / 'loop.duckdb'}"
    planner = PipelinePlanner(tmp_path / "exports", url, tmp_path / "reports", SETTINGS.horizon)
    result = run_closed_loop(SETTINGS, tmp_path / "exports", planner.plan, tmp_path / "reports")

    cycles = [str(month_labels(c)) for c in range(SETTINGS.first, SETTINGS.last + 1)]
    warehouse = Warehouse(url, schema="closed_loop")
    world = result.worlds["pipeline"]
    book, company = world.ledger, world.company
    skus = company.catalogue["sku"]
    for label in cycles:
        cycle = month_start(label)
        assert (tmp_path / "reports" / label / "mps.csv").exists()
        mps = warehouse.read("mps", cycle)
        assert len(mps) > 0 and len(warehouse.read("demand_plan", cycle)) > 0
        released = mps[pd.to_datetime(mps["month"]) == cycle].groupby("sku")["quantity"].sum()
        t = company.index(month_ordinal(label))
        assert np.allclose(book.starts[:, t], released.reindex(skus).fillna(0.0))
        assert (book.made[:, t] <= book.starts[:, t]).all()

    for policy in POLICIES:
        ledger = result.worlds[policy].ledger
        n = ledger.simulated
        balance = ledger.opening + ledger.arrivals - ledger.shipped.sum(axis=1) - ledger.closing
        assert np.abs(balance[:, :n]).max() == 0.0
    assert sorted(result.scores["policy"]) == sorted(POLICIES * len(cycles))

    # the drop of the second cycle shows the stock the first cycle's month left
    second = tmp_path / "exports" / cycles[1]
    first_month = company.index(SETTINGS.first)
    inventory = pd.read_excel(second / "inventory.xlsx")
    on_hand = inventory.groupby("sku")["on_hand"].sum().reindex(skus).fillna(0.0)
    assert np.allclose(on_hand, book.closing[:, first_month])
