"""The closed loop's book-keeping with a planner that needs no pipeline (a fixed MPS): every
cycle gets its drop, the released MPS of the cycle month is what the plant is asked for, all
policies face the same orders, the books conserve units, and the scores add up. The naive
policies' forecasts and the scores are checked on hand cases."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sop_pipeline.core.calendar import month_start
from sop_pipeline.demo.months import month_labels, month_ordinal
from sop_pipeline.demo.world import new_ledger
from sop_pipeline.simulation.diagnosis import losses_by, safety_stock_coverage
from sop_pipeline.simulation.loop import (
    POLICIES,
    CyclePlan,
    LoopResult,
    LoopSettings,
    firm_changes,
    run_closed_loop,
)
from sop_pipeline.simulation.naive import moving_average_forecast, seasonal_naive_forecast
from sop_pipeline.simulation.report import render, total_table

SETTINGS = LoopSettings(last=month_ordinal("2026-06"), cycles=3, skus=20, seed=4, warmup=14)
UNITS = 7.0  # the fixed planner releases this many units of every SKU every month


def fixed_plan(cycle: pd.Timestamp, log: Path) -> CyclePlan:
    months = pd.date_range(cycle, periods=3, freq="MS")
    skus = ["AC-1001", "AC-1002"]
    grid = pd.MultiIndex.from_product([skus, months], names=["sku", "month"]).to_frame(index=False)
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("fixed plan\n")
    mps = grid.assign(
        quantity=UNITS + cycle.month, firm=grid["month"] < cycle + pd.DateOffset(months=2)
    )
    return CyclePlan(
        mps=mps, demand=grid.assign(demand=10.0), safety_stock=grid.assign(safety_stock=5.0)
    )


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> tuple[LoopResult, Path]:
    root = tmp_path_factory.mktemp("loop")
    return run_closed_loop(SETTINGS, root / "exports", fixed_plan, root / "logs"), root


def test_every_cycle_gets_a_drop_and_a_plan(result: tuple[LoopResult, Path]) -> None:
    loop, root = result
    cycles = [str(month_labels(c)) for c in range(SETTINGS.first, SETTINGS.last + 1)]
    assert sorted(p.name for p in (root / "exports").iterdir()) == cycles
    assert all((root / "logs" / c / "run.log").exists() for c in cycles)
    assert loop.scores.groupby("policy")["cycle"].apply(list).to_dict() == {
        p: cycles for p in POLICIES
    }


def test_the_plant_is_asked_for_the_mps_of_the_cycle_month(result: tuple[LoopResult, Path]) -> None:
    loop, _ = result
    world = loop.worlds["pipeline"]
    skus = world.company.catalogue["sku"]
    for cycle in range(SETTINGS.first, SETTINGS.last + 1):
        starts = world.ledger.starts[:, world.company.index(cycle)]
        month = month_start(str(month_labels(cycle))).month
        asked = np.where(skus.isin(["AC-1001", "AC-1002"]), UNITS + month, 0.0)
        assert np.array_equal(starts, asked)


def test_policies_face_the_same_world_and_every_book_balances(
    result: tuple[LoopResult, Path],
) -> None:
    loop, _ = result
    books = {p: w.ledger for p, w in loop.worlds.items()}
    n = books["pipeline"].simulated
    warm = loop.worlds["pipeline"].company.index(SETTINGS.first)
    for policy, book in books.items():
        assert book.simulated == n
        assert np.array_equal(book.orders, books["pipeline"].orders)
        assert np.array_equal(book.closing[:, :warm], books["pipeline"].closing[:, :warm]), policy
        balance = book.opening + book.arrivals - book.shipped.sum(axis=1) - book.closing
        assert np.abs(balance[:, :n]).max() == 0.0
    assert not np.array_equal(
        books["pipeline"].made[:, warm:n], books["moving_average"].made[:, warm:n]
    )


def test_scores_add_up(result: tuple[LoopResult, Path]) -> None:
    loop, _ = result
    scores = loop.scores
    for policy, world in loop.worlds.items():
        book = world.company, world.ledger
        months = [world.company.index(c) for c in range(SETTINGS.first, SETTINGS.last + 1)]
        mine = scores[scores["policy"] == policy]
        lost = book[1].lost[:, :, months].sum(axis=(0, 1))
        assert np.allclose(mine["lost_units"], lost)
        on_time = book[1].on_time[:, :, months].sum(axis=(0, 1))
        assert np.allclose(
            mine["fill_rate"], on_time / book[1].orders[:, :, months].sum(axis=(0, 1))
        )
    table = total_table(scores)
    assert table.loc["pipeline", "fill_rate"] < table.loc["moving_average", "fill_rate"]
    assert scores.loc[scores["policy"] == "pipeline", "nervousness"].iloc[1:].notna().all()
    assert "vs moving_average" in render(scores)


def test_naive_forecasts_on_a_hand_case() -> None:
    # one SKU shipping 1..14 units in months 0..13 (lead time 0, stock always enough)
    orders = np.arange(1, 15, dtype=np.int64)[None, None, :]
    book = new_ledger(np.pad(orders, ((0, 0), (0, 0), (0, 10))), np.array([0]), np.array([1e6]), 1)
    book.on_time[0, 0, :14] = np.arange(1, 15)
    book.simulated = 14
    assert moving_average_forecast(book, 3).tolist() == [[13.0, 13.0, 13.0]]  # (12 + 13 + 14) / 3
    seasonal = seasonal_naive_forecast(book, 14, np.array([14]))
    assert seasonal[0, :3].tolist() == [3.0, 4.0, 5.0]  # months 14, 15, 16 <- 2, 3, 4
    assert seasonal[0, 12:].tolist() == [3.0, 4.0]
    young = seasonal_naive_forecast(book, 2, np.array([5]))
    assert young.tolist() == [[13.0, 13.0]]


def test_nervousness_counts_changed_firm_units_from_the_cycle_on() -> None:
    month = pd.Timestamp("2026-05-01")
    before = pd.DataFrame(
        {
            "sku": ["A", "A", "B"],
            "month": [month - pd.DateOffset(months=1), month, month],
            "quantity": [50.0, 10.0, 30.0],
            "firm": [True, True, True],
        }
    )
    after = pd.DataFrame({"sku": ["A"], "month": [month], "quantity": [14.0], "firm": [True]})
    # A: 10 -> 14 (4), B: 30 -> dropped (30); April is past and not counted
    assert firm_changes(before, after, month) == pytest.approx(34.0 / 40.0)
    assert np.isnan(firm_changes(None, after, month))


def test_losses_by_class_add_up_to_the_scores(result: tuple[LoopResult, Path]) -> None:
    loop, _ = result
    company = loop.worlds["pipeline"].company
    months = range(SETTINGS.first, SETTINGS.last + 1)
    table = losses_by(company, loop.worlds, months, "lead_time_months")
    lost = loop.scores.groupby("policy")["lost_units"].sum()
    assert np.allclose(table.groupby("policy")["lost_units"].sum().reindex(lost.index), lost)
    assert set(table["lead_time_months"]) == set(company.catalogue["lead_time_months"])


def test_safety_stock_coverage_counts_windows_whose_error_beats_the_target(
    result: tuple[LoopResult, Path],
) -> None:
    """The fixed plan forecasts 10 a month for 3 months with a target of 5: every cycle's
    window of a lead-time-0 service-level SKU spans the cycle month and the next (frozen
    zone of 2), and its error is its orders of those months less 20 (0 for other SKUs)."""
    loop, _ = result
    world = loop.worlds["pipeline"]
    company, book = world.company, world.ledger
    coverage = safety_stock_coverage(company, world, loop.plans, frozen_months=2)
    catalogue = company.catalogue
    chosen = (catalogue["lead_time_months"] == 0).to_numpy() & (
        company.policy["safety_stock_method"] == "service_level"
    ).to_numpy()
    planned = catalogue["sku"].isin(["AC-1001", "AC-1002"]).to_numpy()
    errors = []
    for cycle in range(SETTINGS.first, SETTINGS.last):  # the last window is not booked yet
        t = company.index(cycle)
        orders = book.orders[:, :, t : t + 2].sum(axis=(1, 2))
        errors.append((orders - np.where(planned, 20.0, 0.0))[chosen])
    error = np.concatenate(errors)
    row = coverage.set_index("lead_time_months").loc[0]
    assert row["windows"] == len(error)
    assert row["rms_error"] == pytest.approx(np.sqrt(np.mean(error**2)))
    assert row["exceeded"] == pytest.approx(np.mean(error > 5.0))
