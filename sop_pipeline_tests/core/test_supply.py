"""Supply review end to end on small inputs, with real HiGHS solves: output contract, scenarios,
bad input, exceptions and the MPS."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sop_pipeline.core.implementation.mps import build_mps
from sop_pipeline.core.supply import SupplyPlanError
from sop_pipeline.core.tables import OUTPUT_TABLES
from sop_pipeline.io.reports import write_mps_csv
from sop_pipeline_tests.factories import (
    SUPPLY_CYCLE,
    TOL,
    assert_feasible,
    months,
    plan,
    series,
    supply_inputs,
)


def test_output_frames_follow_the_table_contract() -> None:
    review = plan(supply_inputs({"A": [10.0, 10.0]}, {"R": [6.0, 6.0]}, [("A", "R", 1.0)]))
    frames = {
        "supply_plan": review.supply_plan,
        "resource_load": review.resource_load,
        "exceptions": review.exceptions,
        "mps": build_mps(review.supply_plan, SUPPLY_CYCLE, frozen_months=1),
    }
    for name, frame in frames.items():
        expected = [c for c in OUTPUT_TABLES[name].columns if c != "cycle"]
        assert list(frame.columns) == expected, name
    assert review.supply_plan["scenario"].eq("baseline").all()


def test_scenarios_are_solved_beside_the_baseline() -> None:
    scenarios = pd.DataFrame(
        {
            "scenario": ["demand_up", "line_down"],
            "kind": ["demand", "capacity"],
            "scope": ["*", "R"],
            "multiplier": [1.5, 0.5],
        }
    )
    inputs = supply_inputs(
        {"A": [10.0, 10.0, 10.0]}, {"R": [12.0] * 3}, [("A", "R", 1.0)], scenarios=scenarios
    )
    review = plan(inputs)
    assert list(pd.unique(review.supply_plan["scenario"])) == ["baseline", "demand_up", "line_down"]
    assert list(pd.unique(review.resource_load["scenario"])) == [
        "baseline",
        "demand_up",
        "line_down",
    ]
    np.testing.assert_allclose(series(review, "A", "demand", "demand_up"), [15.0] * 3)
    np.testing.assert_allclose(series(review, "A", "production"), [10.0] * 3, atol=TOL)
    np.testing.assert_allclose(series(review, "A", "unmet_demand", "demand_up"), [3.0] * 3)
    load = review.resource_load.set_index("scenario")
    np.testing.assert_allclose(load.loc["line_down", "available_hours"], [6.0] * 3)
    np.testing.assert_allclose(series(review, "A", "unmet_demand", "line_down"), [4.0] * 3)
    short = review.exceptions.query("kind == 'unmet_demand'")
    assert set(short["scenario"]) == {"demand_up", "line_down"}
    assert_feasible(review, inputs)


def test_zero_capacity_leaves_its_skus_unmet_with_an_exception() -> None:
    inputs = supply_inputs(
        {"A": [10.0, 10.0], "B": [4.0, 4.0]},
        {"R": [50.0, 50.0], "DOWN": [0.0, 0.0]},
        [("A", "R", 1.0), ("B", "DOWN", 2.0)],
        on_hand={"B": 1.0},
    )
    review = plan(inputs)
    np.testing.assert_allclose(series(review, "A", "unmet_demand"), [0.0, 0.0], atol=TOL)
    np.testing.assert_allclose(series(review, "B", "unmet_demand"), [3.0, 4.0], atol=TOL)
    short = review.exceptions.query("kind == 'unmet_demand'")
    assert list(short["sku"]) == ["B", "B"]
    assert short["message"].str.contains("DOWN").all()
    overload = review.exceptions.query("kind == 'overload'")
    assert list(overload["resource"]) == ["DOWN", "DOWN"]
    np.testing.assert_allclose(overload["quantity"], [8.0, 8.0])
    load = review.resource_load.set_index("resource")
    np.testing.assert_allclose(load.loc["DOWN", "unconstrained_required_hours"], [8.0, 8.0])
    np.testing.assert_allclose(load.loc["R", "unconstrained_required_hours"], [10.0, 10.0])
    assert load.loc["DOWN", "utilization"].isna().all(), "no hours: utilisation undefined"
    assert_feasible(review, inputs)


def test_sku_without_routing_is_planned_unconstrained(caplog: pytest.LogCaptureFixture) -> None:
    inputs = supply_inputs(
        {"A": [10.0, 10.0], "FREE": [100.0, 100.0]}, {"R": [4.0, 4.0]}, [("A", "R", 1.0)]
    )
    with caplog.at_level(logging.WARNING):
        review = plan(inputs)
    assert "1 SKUs have no routing" in caplog.text
    np.testing.assert_allclose(series(review, "FREE", "production"), [100.0, 100.0])
    np.testing.assert_allclose(series(review, "A", "production"), [4.0, 4.0], atol=TOL)
    assert_feasible(review, inputs)


@pytest.mark.parametrize(
    ("change", "cause"),
    [
        ({"demand": [-10.0, 10.0]}, r"demand \(sku x month\).*first: A 2026-01 = -10"),
        ({"demand": [np.nan, 10.0]}, r"demand \(sku x month\).*first: A 2026-01 = nan"),
        ({"available_hours": -1.0}, r"available_hours .*R 2026-01 = -1"),
        ({"available_hours": np.nan}, r"available_hours .*R 2026-01 = nan"),
        ({"hours_per_unit": np.nan}, r"routings: hours_per_unit .*sku A on R = nan"),
        ({"overtime_cost_per_hour": -5.0}, r"overtime_cost_per_hour .*R 2026-01 = -5"),
    ],
)
def test_invalid_input_fails_naming_the_cause(change: dict[str, object], cause: str) -> None:
    inputs = supply_inputs({"A": [10.0, 10.0]}, {"R": [6.0, 6.0]}, [("A", "R", 1.0)])
    column, value = next(iter(change.items()))
    frame = {"demand": "demand", "hours_per_unit": "routings"}.get(column, "resources")
    broken = getattr(inputs, frame).assign(**{column: value})
    with pytest.raises(SupplyPlanError, match=cause):
        plan(dataclasses.replace(inputs, **{frame: broken}))


def test_invalid_scenario_multiplier_names_the_scenario() -> None:
    scenarios = pd.DataFrame(
        {"scenario": ["broken"], "kind": ["demand"], "scope": ["*"], "multiplier": [np.nan]}
    )
    inputs = supply_inputs({"A": [10.0]}, {"R": [6.0]}, [("A", "R", 1.0)], scenarios=scenarios)
    with pytest.raises(SupplyPlanError, match="scenario 'broken'"):
        plan(inputs)


def test_unmet_demand_exception_names_binding_resource_and_frozen_zone() -> None:
    """R makes 10, 10, 6, 10 units: nothing to pre-build with, so 4 units are lost in March."""
    inputs = supply_inputs({"A": [10.0] * 4}, {"R": [20.0, 20.0, 12.0, 20.0]}, [("A", "R", 2.0)])
    review = plan(inputs, frozen_months=3)
    short = review.exceptions.query("kind == 'unmet_demand'")
    assert list(short["month"]) == [months(4)[2]]
    assert list(short["quantity"]) == pytest.approx([4.0])
    # one more hour of R in March saves half a lost sale: (10 - 5) margin + 5 penalty, made 1 %
    # dearer by the time preference (March is one month before the horizon's end), / 2 hours
    assert short["message"].iloc[0] == (
        "A misses 4 units in 2026-03: R (an extra hour is worth 5.05) is at capacity; R has no "
        "overtime. This is inside the 3-month frozen zone."
    )
    assert list(short["cause"]) == ["capacity"]


def test_lead_time_shortage_is_explained() -> None:
    inputs = supply_inputs({"A": [5.0, 5.0, 5.0]}, lead={"A": 2})
    review = plan(inputs)
    short = review.exceptions.query("kind == 'unmet_demand'")
    assert list(short["quantity"]) == [5.0, 5.0]
    assert "arrives from 2026-03 (lead time 2 months)" in short["message"].iloc[0]


def test_backlog_is_served_first_and_shown_in_the_first_month() -> None:
    orders = pd.DataFrame({"order_id": ["o1"], "line": [1], "sku": ["A"], "quantity": [4.0]})
    inputs = supply_inputs(
        {"A": [10.0, 10.0]}, {"R": [10.0, 10.0]}, [("A", "R", 1.0)], open_orders=orders
    )
    review = plan(inputs)
    np.testing.assert_allclose(series(review, "A", "demand"), [14.0, 10.0])
    np.testing.assert_allclose(series(review, "A", "unmet_demand"), [4.0, 0.0], atol=TOL)
    assert_feasible(review, inputs)


def test_mps_is_firm_inside_the_frozen_zone_and_written_as_csv(tmp_path: Path) -> None:
    scenarios = pd.DataFrame(
        {"scenario": ["up"], "kind": ["demand"], "scope": ["*"], "multiplier": [2.0]}
    )
    inputs = supply_inputs({"A": [10.0] * 5, "B": [0.0, 3.0, 0.0, 3.0, 0.0]}, scenarios=scenarios)
    review = plan(inputs, frozen_months=2)
    mps = build_mps(review.supply_plan, SUPPLY_CYCLE, frozen_months=2)
    assert list(mps["sku"]) == ["A"] * 5 + ["B", "B"]
    assert list(mps["firm"]) == [True, True, False, False, False, True, False]
    np.testing.assert_allclose(mps["quantity"], [10.0] * 5 + [3.0, 3.0])
    path = write_mps_csv(mps, tmp_path / "2026-01" / "mps.csv")
    written = pd.read_csv(path)
    assert list(written.columns) == ["sku", "period", "quantity", "firm", "status"]
    assert set(written["status"]) == {"proposed"}
    assert list(written["period"][:2]) == ["2026-01", "2026-02"]
    assert list(written["firm"]) == ["Y", "Y", "N", "N", "N", "Y", "N"]


def test_cover_policy_sets_the_target_and_flags_excess_stock() -> None:
    """min cover 1 month: the target is next month's demand (the last month's level beyond the
    horizon); max cover 2 months caps stock at 50, 60, 60: 40 and 10 units too many."""
    policy = pd.DataFrame(
        {
            "sku": ["A"],
            "service_level": [0.95],
            "safety_stock_method": ["min_cover"],
            "min_cover_months": [1.0],
            "max_cover_months": [2.0],
        }
    )
    inputs = supply_inputs({"A": [10.0, 20.0, 30.0]}, on_hand={"A": 100.0}, inventory_policy=policy)
    review = plan(inputs)
    np.testing.assert_allclose(series(review, "A", "safety_stock"), [20.0, 30.0, 30.0])
    np.testing.assert_allclose(series(review, "A", "ending_inventory"), [90.0, 70.0, 40.0])
    excess = review.exceptions.query("kind == 'excess_inventory'")
    assert list(excess["month"]) == list(months(2))
    np.testing.assert_allclose(excess["quantity"], [40.0, 10.0])
