"""Whole-unit production in lots (core/supply/lots.py): hand cases worked out from the repair's
rules, and random instances against the LP optimum and an exact mixed-integer optimum of an
independent dense formulation (scipy's milp)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from sop_pipeline.core.implementation.mps import build_mps
from sop_pipeline.core.supply import SupplyInputs
from sop_pipeline.core.supply.costs import CostSettings, unit_costs
from sop_pipeline.core.supply.lots import solve_in_lots
from sop_pipeline.core.supply.prepare import build_problem
from sop_pipeline.core.supply.safety_stock import safety_stock_targets
from sop_pipeline_tests.core.test_supply_lp import (
    Instance,
    Variables,
    coefficients,
    dense_rows,
    plan_objective,
    random_instance,
    relaxed_solution,
    to_inputs,
)
from sop_pipeline_tests.factories import (
    SUPPLY_CYCLE,
    TOL,
    assert_feasible,
    plan,
    series,
    supply_inputs,
)


def with_lots(
    inputs: SupplyInputs, lot: dict[str, float], minimum: dict[str, float]
) -> SupplyInputs:
    items = inputs.items.assign(
        lot_size=inputs.items["sku"].map(lot).astype(float),
        min_lot=inputs.items["sku"].map(minimum).astype(float),
    )
    return dataclasses.replace(inputs, items=items)


def test_lots_of_ten_track_the_lp_cumulatively() -> None:
    """Demand 25 a month, lot 10: the LP makes 25, 25, 25. Rounded down 20 each; January is 5
    behind and gets a lot (30, 5 ahead), February is even (20), March is 5 behind (30)."""
    inputs = with_lots(supply_inputs({"A": [25.0] * 3}), {"A": 10.0}, {})
    review = plan(inputs)
    assert_feasible(review, inputs)
    np.testing.assert_allclose(series(review, "A", "production"), [30, 20, 30], atol=TOL)
    np.testing.assert_allclose(series(review, "A", "ending_inventory"), [5, 0, 5], atol=TOL)
    np.testing.assert_allclose(series(review, "A", "unmet_demand"), [0, 0, 0], atol=TOL)


def test_a_minimum_lot_is_made_or_nothing() -> None:
    """Lot 10, minimum 40: 25 rounds down to nothing; January and February get 40 each (25 and
    10 behind), March is 5 ahead of the LP and makes nothing."""
    inputs = with_lots(supply_inputs({"A": [25.0] * 3}), {"A": 10.0}, {"A": 40.0})
    review = plan(inputs)
    assert_feasible(review, inputs)
    np.testing.assert_allclose(series(review, "A", "production"), [40, 40, 0], atol=TOL)
    np.testing.assert_allclose(series(review, "A", "ending_inventory"), [15, 30, 5], atol=TOL)
    mps = build_mps(review.supply_plan, SUPPLY_CYCLE, frozen_months=3)
    assert list(mps["quantity"]) == [40.0, 40.0] and mps["firm"].all()


def test_a_lot_that_does_not_fit_the_hours_is_not_made() -> None:
    """26 hours a month at 1 hour per unit, lot 10: the LP makes 25; a third lot needs 30 hours,
    so 20 are made and 5 a month are lost, a shortage the rounding causes (the LP's capacity row
    does not bind), named as such."""
    inputs = with_lots(
        supply_inputs({"A": [25.0] * 3}, {"R": [26.0] * 3}, [("A", "R", 1.0)]), {"A": 10.0}, {}
    )
    review = plan(inputs)
    assert_feasible(review, inputs)
    np.testing.assert_allclose(series(review, "A", "production"), [20, 20, 20], atol=TOL)
    np.testing.assert_allclose(series(review, "A", "unmet_demand"), [5, 5, 5], atol=TOL)
    short = review.exceptions.query("kind == 'unmet_demand'")
    assert set(short["cause"]) == {"lot_size"}
    assert short["message"].iloc[0] == (
        "A misses 5 units in 2026-01: production is started in whole lots of 10 units, and the "
        "plan rounded to them is short here where the fractional plan lost nothing. This is "
        "inside the 3-month frozen zone."
    )


def lot_rules(case: Instance, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(lot size, minimum lot) per SKU: whole units, lots of 2-5, some with a minimum."""
    rng = np.random.default_rng(1000 + seed)
    n_skus = len(case.price)
    lot = np.where(rng.random(n_skus) < 0.5, 1.0, rng.integers(2, 6, n_skus).astype(float))
    minimum = np.where(rng.random(n_skus) < 0.4, lot * rng.integers(2, 4, n_skus), 0.0)
    return lot, minimum


def mip_optimum(case: Instance, lot: np.ndarray, minimum: np.ndarray) -> float:
    """The dense model of `linprog_optimum` with every free x[s, t] = lot[s] k, k integer, and
    x = 0 or x >= minimum[s] (a binary y: minimum y <= x <= big y)."""
    (n_skus, n_months), n_res = case.demand.shape, case.available.shape[0]
    k, v = coefficients(case), Variables.of(n_skus, n_months, n_res)
    n = v.count
    free = np.ones((n_skus, n_months), dtype=bool)
    free[:, :2] = np.isnan(case.pinned)
    cells = np.argwhere(free)
    total = n + 2 * len(cells)  # then one k and one y per free cell
    cost, lower, upper = np.zeros(total), np.zeros(total), np.full(total, np.inf)
    cost[v.inv], cost[v.z] = k.holding[:, None], k.shortfall[:, None]
    cost[v.u], upper[v.u] = k.lost_by_month, case.demand
    cost[v.q] = 2 * k.lost[:, None]
    cost[v.o], upper[v.o] = case.overtime_cost[:, None], case.max_overtime[:, None]
    pinned = ~np.isnan(case.pinned)
    lower[v.x[:, :2][pinned]] = upper[v.x[:, :2][pinned]] = case.pinned[pinned]
    upper[n + len(cells) :] = 1.0
    a_eq, b_eq, a_ub, b_ub = dense_rows(case, v)
    big = 10 * (case.demand.sum() + case.backlog.sum())
    link = np.zeros((3 * len(cells), total))
    for i, (s, t) in enumerate(cells):
        x, kk, y = v.x[s, t], n + i, n + len(cells) + i
        link[3 * i, [x, kk]] = [1.0, -lot[s]]  # x = lot k
        link[3 * i + 1, [x, y]] = [1.0, -minimum[s]]  # x >= minimum y
        link[3 * i + 2, [x, y]] = [1.0, -big]  # x <= big y
    pad = np.zeros((a_eq.shape[0], 2 * len(cells)))
    constraints = [
        LinearConstraint(np.hstack([a_eq, pad]), b_eq, b_eq),
        LinearConstraint(
            np.hstack([a_ub, np.zeros((a_ub.shape[0], 2 * len(cells)))]), -np.inf, b_ub
        ),
        LinearConstraint(link[0::3], 0.0, 0.0),
        LinearConstraint(link[1::3], 0.0, np.inf),
        LinearConstraint(link[2::3], -np.inf, 0.0),
    ]
    integrality = np.concatenate([np.zeros(n), np.ones(2 * len(cells))])
    result = milp(
        cost, constraints=constraints, integrality=integrality, bounds=Bounds(lower, upper)
    )
    assert result.status == 0, result.message
    return float(result.fun)


@pytest.mark.parametrize("seed", range(8))
def test_random_plans_are_in_lots_feasible_and_close_to_the_optimum(seed: int) -> None:
    """Every free quantity is 0 or a lot multiple >= the minimum; balance and capacity hold
    (`assert_feasible`); LP optimum <= exact MIP optimum <= the rounded plan's cost, which is
    within one lot per SKU-month at a backorder's cost of the LP."""
    case = random_instance(seed)
    lot, minimum = lot_rules(case, seed)
    skus = [f"S{s}" for s in range(len(case.price))]
    inputs = with_lots(
        to_inputs(case), dict(zip(skus, lot, strict=True)), dict(zip(skus, minimum, strict=True))
    )
    review = plan(inputs)
    assert_feasible(review, inputs)
    production = (
        review.supply_plan.query("scenario == 'baseline'")
        .pivot(index="sku", columns="month", values="production")
        .to_numpy()
    )
    free = np.ones_like(production, dtype=bool)
    free[:, :2] = np.isnan(case.pinned)
    lots = production / lot[:, None]
    assert np.allclose(lots[free], np.round(lots[free]), atol=1e-9)
    made = production[free] > TOL
    assert (
        production[free][made] >= np.broadcast_to(minimum[:, None], free.shape)[free][made] - TOL
    ).all()
    relaxed = relaxed_solution(inputs).objective
    exact = mip_optimum(case, lot, minimum)
    rounded = plan_objective(review, case)
    assert relaxed - 1e-6 <= exact <= rounded + 1e-6
    step = np.maximum(lot, minimum)
    bound = (step * 2 * coefficients(case).lost * (1 + 0.01 * 6)).sum() * 6
    assert rounded - relaxed <= bound
    print(f"seed {seed}: LP {relaxed:.2f} MIP {exact:.2f} rounded {rounded:.2f}")


def test_items_without_lot_columns_plan_whole_units() -> None:
    inputs = supply_inputs({"A": [2.5, 2.5]})
    inputs = dataclasses.replace(inputs, items=inputs.items.drop(columns=["lot_size", "min_lot"]))
    production = series(plan(inputs), "A", "production")
    np.testing.assert_allclose(production, [3.0, 2.0], atol=TOL)
    assert pd.Series(production).map(float.is_integer).all()


@pytest.mark.parametrize("seed", range(3))
def test_a_variant_starts_from_the_plans_basis_and_reaches_the_same_plan(seed: int) -> None:
    """Freeing one SKU's firm months (how a frozen-zone conflict is priced): solved from the
    plan's bases the variant has the cold solve's cost and production, in fewer pivots."""
    inputs = to_inputs(random_instance(seed, n_skus=8, n_months=8))
    problem = build_problem(inputs, SUPPLY_CYCLE, 8, frozen_months=3)
    settings = CostSettings()
    costs = unit_costs(problem, settings)
    targets = safety_stock_targets(problem, settings.default_service_level, 3)
    plan = solve_in_lots(problem, costs, targets)
    pinned = problem.pinned_production.copy()
    pinned[int(np.flatnonzero(~np.isnan(pinned).all(axis=1))[0])] = np.nan
    variant = dataclasses.replace(problem, pinned_production=pinned)
    cold = solve_in_lots(variant, costs, targets)
    warm = solve_in_lots(variant, costs, targets, start=plan.basis)
    assert warm.objective == pytest.approx(cold.objective, rel=1e-9)
    np.testing.assert_allclose(warm.production, cold.production)
    assert warm.iterations < cold.iterations
