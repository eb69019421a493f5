"""Planner overrides and their log on the demand case of sop_pipeline_tests.cases.demand
(cycle January 2025, three months; A: 100 a month in NORTH, 40 in SOUTH; B: 50 in NORTH; X: 10
in NORTH), with a firm window of two months so that March is outside it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sop_pipeline.core.demand.plan import DemandPlan, plan_demand
from sop_pipeline.core.tables import row_columns
from sop_pipeline_tests.cases.demand import (
    CYCLE,
    FEB,
    JAN,
    MAR,
    cell,
    items,
    statistical_forecast,
)


def overrides() -> pd.DataFrame:
    rows = [  # sku, region, month, override_quantity, adjustment_pct, author, reason
        ("A", "NORTH", "2025-01", 120.0, np.nan, "li.wei", "key account tender"),
        ("X", "NORTH", "2025-02", np.nan, 10.0, "m.garcia", None),  # firm window, no reason
        ("B", "NORTH", "2025-03", 80.0, 50.0, "j.smith", ""),  # both given, outside window
        ("Q", "NORTH", "2025-01", 5.0, np.nan, "li.wei", "typo"),  # unknown SKU
        ("A", "NORTH", "2025-08", 1.0, np.nan, "li.wei", "far away"),  # beyond the horizon
        ("A", "SOUTH", "2025-02", 10.0, np.nan, "zhang.min", "first thought"),
        ("A", "SOUTH", "2025-02", np.nan, -50.0, "li.wei", "distributor destocking"),
    ]
    columns = "sku region month override_quantity adjustment_pct author reason".split()
    return pd.DataFrame(rows, columns=columns)


@pytest.fixture(scope="module")
def review() -> DemandPlan:
    return plan_demand(
        statistical_forecast(), items(), CYCLE, None, None, overrides(), firm_months=2
    )


def entry(log: pd.DataFrame, sku: str, region: str, month: str, author: str) -> pd.Series:
    rows = log[
        (log["sku"] == sku)
        & (log["region"] == region)
        & (log["month"] == pd.Timestamp(f"{month}-01"))
        & (log["author"] == author)
    ]
    assert len(rows) == 1
    return rows.iloc[0]


def test_every_override_row_is_logged_with_author_and_reason(review: DemandPlan) -> None:
    log = review.override_log
    assert list(log.columns) == row_columns("override_log")
    assert len(log) == len(overrides())
    tender = entry(log, "A", "NORTH", "2025-01", "li.wei")
    assert tender["reason"] == "key account tender" and tender["status"] == "applied"
    assert (tender["demand_before"], tender["override"], tender["demand_after"]) == (
        100.0,
        20.0,
        120.0,
    )
    assert bool(tender["in_firm_window"]) and bool(tender["applied"])


def test_quantity_wins_when_both_are_given(review: DemandPlan) -> None:
    both = entry(review.override_log, "B", "NORTH", "2025-03", "j.smith")
    assert both["status"] == "applied_quantity_not_pct" and not both["in_firm_window"]
    assert (both["demand_before"], both["demand_after"]) == (50.0, 80.0)
    assert cell(review.plan, "B", "NORTH", MAR)["demand"] == pytest.approx(80.0)


def test_firm_window_override_without_reason_is_rejected(review: DemandPlan) -> None:
    rejected = entry(review.override_log, "X", "NORTH", "2025-02", "m.garcia")
    assert rejected["status"] == "rejected_no_reason_in_firm_window"
    assert bool(rejected["in_firm_window"]) and not rejected["applied"]
    assert (rejected["demand_before"], rejected["override"], rejected["demand_after"]) == (
        10.0,
        0.0,
        10.0,
    )
    assert cell(review.plan, "X", "NORTH", FEB)["override"] == 0.0


def test_invalid_and_superseded_rows_are_kept_with_their_verdict(review: DemandPlan) -> None:
    log = review.override_log
    assert entry(log, "Q", "NORTH", "2025-01", "li.wei")["status"] == "rejected_unknown_sku"
    far = entry(log, "A", "NORTH", "2025-08", "li.wei")
    assert far["status"] == "rejected_outside_horizon" and np.isnan(far["demand_after"])
    first = entry(log, "A", "SOUTH", "2025-02", "zhang.min")
    last = entry(log, "A", "SOUTH", "2025-02", "li.wei")
    assert (first["status"], last["status"]) == ("superseded", "applied")
    assert (last["demand_before"], last["demand_after"]) == (40.0, 20.0)
    assert cell(review.plan, "A", "SOUTH", FEB)["demand"] == pytest.approx(20.0)


def test_only_applied_overrides_change_the_plan(review: DemandPlan) -> None:
    applied = review.override_log[review.override_log["applied"]]
    changed = review.plan[review.plan["override"] != 0.0]
    keys = ["sku", "region", "month"]
    assert set(map(tuple, changed[keys].to_numpy())) == set(map(tuple, applied[keys].to_numpy()))
    assert cell(review.plan, "A", "NORTH", JAN)["demand"] == pytest.approx(120.0)


def test_no_overrides_give_an_empty_log() -> None:
    review = plan_demand(statistical_forecast(), items(), CYCLE, None, None, None)
    assert review.override_log.empty
    assert list(review.override_log.columns) == row_columns("override_log")
