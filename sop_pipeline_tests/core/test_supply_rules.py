"""Supply review rules with real HiGHS solves on hand-checkable cases: backlog by requested date
with backorders, lead time in the rough-cut load, the firm MPS pinned, the options the exception
sentences name, scenario scope rules, and bad input (unknown resource, no optimum)."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import highspy
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from sop_pipeline.core.collection.export import collect_export
from sop_pipeline.core.contracts import CONTRACTS
from sop_pipeline.core.implementation.mps import build_mps
from sop_pipeline.core.supply import SupplyPlanError
from sop_pipeline.core.supply.solver import LpModel, solve_lp
from sop_pipeline_tests.factories import (
    SUPPLY_CYCLE,
    TOL,
    assert_feasible,
    months,
    plan,
    series,
    supply_inputs,
)


def orders(*lines: tuple[str, str | None, float]) -> pd.DataFrame:
    """open_orders lines (sku, requested_date or None, quantity)."""
    return pd.DataFrame(
        [(f"o{i}", 1, sku, date, qty) for i, (sku, date, qty) in enumerate(lines)],
        columns=["order_id", "line", "sku", "requested_date", "quantity"],
    )


def test_backlog_is_due_in_its_requested_month_and_carried_not_lost() -> None:
    """R makes 6, 10, 10 units. 6 units are overdue (due now) and 15 requested for February;
    forecast demand is 0, 5, 5. January ships the 6 overdue units. February has 15 backlog + 5
    forecast for 10 units: the backlog goes first, its last 5 units are carried into March (not
    lost) and February's forecast is lost; March ships the 5 carried units and its forecast."""
    backlog = orders(("A", "2025-12-20", 6.0), ("A", "2026-02-03", 15.0))
    inputs = supply_inputs(
        {"A": [0.0, 5.0, 5.0]}, {"R": [6.0, 10.0, 10.0]}, [("A", "R", 1.0)], open_orders=backlog
    )
    review = plan(inputs)
    np.testing.assert_allclose(series(review, "A", "backlog"), [6, 15, 0])
    np.testing.assert_allclose(series(review, "A", "backorder"), [0, 5, 0], atol=TOL)
    np.testing.assert_allclose(series(review, "A", "demand"), [6, 20, 10], atol=TOL)
    np.testing.assert_allclose(series(review, "A", "unmet_demand"), [0, 10, 0], atol=TOL)
    assert_feasible(review, inputs)
    short = review.exceptions.query("kind == 'unmet_demand'")
    assert list(short["month"]) == [months(3)[1]]
    np.testing.assert_allclose(short["quantity"], [10.0])


def test_lead_time_puts_the_unconstrained_load_in_the_start_month() -> None:
    """Lead time 1: February's 30 units must start in January, March's 10 in February."""
    inputs = supply_inputs(
        {"A": [20.0, 30.0, 10.0]}, {"R": [100.0] * 3}, [("A", "R", 2.0)], lead={"A": 1}
    )
    review = plan(inputs)
    load = review.resource_load.sort_values("month")
    np.testing.assert_allclose(load["unconstrained_required_hours"], [60.0, 20.0, 0.0])
    np.testing.assert_allclose(load["required_hours"], [60.0, 20.0, 0.0], atol=TOL)


def test_overload_is_flagged_in_the_start_month() -> None:
    """March demand (lead time 1) overloads R in February, the month production must start;
    the plan pre-builds 20 units in January, leaving the hours the message names free."""
    demand = {"A": [0.0, 0.0, 30.0]}
    for january, ending in [
        (100.0, "; R has free hours in 2026-01 (80)."),
        (20.0, "; the plan uses every hour before it."),
    ]:
        inputs = supply_inputs(
            demand, {"R": [january, 10.0, 100.0]}, [("A", "R", 1.0)], lead={"A": 1}
        )
        overload = plan(inputs).exceptions.query("kind == 'overload'")
        assert list(overload["month"]) == [months(3)[1]]
        np.testing.assert_allclose(overload["quantity"], [20.0])
        assert overload["message"].iloc[0].endswith(ending)


def test_previous_firm_mps_pins_the_months_still_frozen() -> None:
    """The December cycle froze Dec-Feb. Its firm 4 units of A in January and nothing in
    February are kept although demand is 10; March is free again. B was not in that MPS."""
    previous = pd.DataFrame(
        {
            "sku": ["A", "A"],
            "month": [months(1)[0], months(3)[2]],
            "quantity": [4.0, 7.0],
            "firm": [True, False],
        }
    )
    inputs = supply_inputs({"A": [10.0] * 3, "B": [3.0] * 3}, previous_mps=previous)
    review = plan(inputs, frozen_months=3)
    np.testing.assert_allclose(series(review, "A", "production"), [4.0, 0.0, 10.0], atol=TOL)
    np.testing.assert_allclose(series(review, "B", "production"), [3.0] * 3, atol=TOL)
    mps = build_mps(review.supply_plan, SUPPLY_CYCLE, frozen_months=3)
    assert mps.query("sku == 'A'")["firm"].tolist() == [True, True]
    assert_feasible(review, inputs)


def test_pinned_production_beyond_capacity_is_kept_and_flagged() -> None:
    previous = pd.DataFrame(
        {"sku": ["A"], "month": [SUPPLY_CYCLE], "quantity": [15.0], "firm": [True]}
    )
    inputs = supply_inputs({"A": [15.0]}, {"R": [10.0]}, [("A", "R", 1.0)], previous_mps=previous)
    review = plan(inputs, frozen_months=2)
    np.testing.assert_allclose(series(review, "A", "production"), [15.0])
    assert list(review.exceptions["kind"]) == ["overload"]


def test_message_names_overtime_left_several_binding_resources_and_lead_time() -> None:
    """March demand, lead time 1, so everything starts in February: A needs an hour of R and
    one of P; C (lost sale 20) fills R, B (lost sale 10) fills P, so one more hour is worth 20
    on R and 10 on P and A (worth 10 per unit, needing 30 of hours) is not made. R has 5
    overtime hours at 50 per hour left: dearer than any sale."""
    inputs = supply_inputs(
        {"A": [0.0, 0.0, 10.0], "B": [0.0, 0.0, 20.0], "C": [0.0, 0.0, 20.0]},
        {"R": [0.0, 10.0, 0.0], "P": [0.0, 10.0, 0.0]},
        [("A", "R", 1.0), ("A", "P", 1.0), ("B", "P", 1.0), ("C", "R", 1.0)],
        lead={"A": 1, "B": 1, "C": 1},
        price={"C": 20.0},
        cost={"C": 10.0},
        overtime={"R": (5.0, 50.0)},
    )
    review = plan(inputs)
    short = review.exceptions.query("kind == 'unmet_demand' and sku == 'A'")
    assert short["message"].iloc[0] == (
        "A misses 10 units in 2026-03: R (an extra hour is worth 20.00) and P (an extra hour "
        "is worth 10.00) are at capacity in 2026-02, when it must start; 5 overtime hours are "
        "left on R but cost more than the sale. This is inside the 3-month frozen zone."
    )
    assert (short["resource"].iloc[0], short["shadow_price"].iloc[0]) == ("R", pytest.approx(20.0))
    assert_feasible(review, inputs)


def test_scenario_scope_rules() -> None:
    """Family scope hits its SKUs only, '*' all, multipliers of one scenario multiply, an
    unknown scope warns and changes nothing, and rows named 'baseline' are ignored."""
    scenarios = pd.DataFrame(
        {
            "scenario": ["mix", "mix", "mix", "mix", "baseline"],
            "kind": ["demand", "demand", "capacity", "capacity", "demand"],
            "scope": ["FA", "*", "R", "NOWHERE", "*"],
            "multiplier": [2.0, 0.5, 3.0, 9.0, 5.0],
        }
    )
    inputs = supply_inputs(
        {"A": [10.0], "B": [10.0]}, {"R": [100.0]}, [("A", "R", 1.0)], scenarios=scenarios
    )
    review = plan(inputs)
    assert list(pd.unique(review.supply_plan["scenario"])) == ["baseline", "mix"]
    np.testing.assert_allclose(series(review, "A", "demand"), [10.0])
    np.testing.assert_allclose(series(review, "A", "demand", "mix"), [10.0])
    np.testing.assert_allclose(series(review, "B", "demand", "mix"), [5.0])
    load = review.resource_load.set_index("scenario")["available_hours"]
    assert load.to_dict() == {"baseline": 100.0, "mix": 300.0}


def test_scope_that_matches_nothing_is_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    scenarios = pd.DataFrame(
        {"scenario": ["x"], "kind": ["capacity"], "scope": ["NOWHERE"], "multiplier": [2.0]}
    )
    inputs = supply_inputs({"A": [10.0]}, {"R": [5.0]}, [("A", "R", 1.0)], scenarios=scenarios)
    with caplog.at_level(logging.WARNING):
        review = plan(inputs)
    assert "capacity scenario scope 'NOWHERE' matches nothing" in caplog.text
    np.testing.assert_allclose(series(review, "A", "unmet_demand", "x"), [5.0], atol=TOL)


def test_routing_to_an_unknown_resource_is_quarantined(tmp_path: Path) -> None:
    drop = tmp_path / f"{SUPPLY_CYCLE:%Y-%m}"
    drop.mkdir()
    pd.DataFrame({"resource": ["R"], "month": ["2026-01"], "available_hours": [10.0]}).to_csv(
        drop / "resources.csv", index=False
    )
    pd.DataFrame(
        {"sku": ["A", "A"], "resource": ["R", "GHOST"], "hours_per_unit": [1.0, 2.0]}
    ).to_csv(drop / "routings.csv", index=False)
    result = collect_export(tmp_path, CONTRACTS["routings"], SUPPLY_CYCLE, ["A"])
    assert result is not None
    assert list(result.loaded["resource"]) == ["R"]
    bad = result.quarantine.iloc[0]
    assert (bad["rule"], bad["column"], bad["value"], bad["row_number"]) == (
        "unknown_resource",
        "resource",
        "GHOST",
        3,
    )
    assert '"GHOST"' in bad["raw_record"]


def _one_column_lp(cost: float, upper: float, row: tuple[float, float]) -> LpModel:
    return LpModel(
        matrix=sp.csc_matrix(np.ones((1, 1))),
        cost=np.array([cost]),
        offset=0.0,
        col_lower=np.zeros(1),
        col_upper=np.array([upper]),
        row_lower=np.array([row[0]]),
        row_upper=np.array([row[1]]),
        backorder_cells=np.zeros(0, dtype=int),
        shortfall_cells=np.zeros(0, dtype=int),
    )


@pytest.mark.parametrize(
    ("model", "cause"),
    [
        (_one_column_lp(1.0, 1.0, (2.0, 2.0)), "infeasible"),
        (_one_column_lp(-1.0, highspy.kHighsInf, (0.0, highspy.kHighsInf)), "unbounded"),
    ],
)
def test_no_optimum_fails_naming_the_cause(model: LpModel, cause: str) -> None:
    with pytest.raises(SupplyPlanError, match=f"no optimal supply plan: .*{cause}"):
        solve_lp(model)


def test_firm_orders_of_a_sku_without_demand_are_still_planned() -> None:
    previous = pd.DataFrame(
        {"sku": ["B"], "month": [SUPPLY_CYCLE], "quantity": [6.0], "firm": [True]}
    )
    inputs = supply_inputs({"A": [1.0, 1.0], "B": [0.0, 0.0]}, previous_mps=previous)
    inputs = dataclasses.replace(inputs, demand=inputs.demand.query("sku == 'A'"))
    review = plan(inputs)
    np.testing.assert_allclose(series(review, "B", "production"), [6.0, 0.0], atol=TOL)
    np.testing.assert_allclose(series(review, "B", "ending_inventory"), [6.0, 6.0], atol=TOL)
