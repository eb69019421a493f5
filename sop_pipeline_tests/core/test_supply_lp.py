"""The supply LP (docs/supply.md) with real HiGHS solves: hand-checked small cases, and the optimum
of random instances (lead times, backlog due in different months, a firm MPS pinning the frozen
months) against an independent dense formulation solved by scipy's linprog."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog
from scipy.stats import norm

from sop_pipeline.core.supply import SupplyInputs, SupplyReview
from sop_pipeline.core.supply.costs import CostSettings, unit_costs
from sop_pipeline.core.supply.lp import solve_problem
from sop_pipeline.core.supply.model import LpSolution
from sop_pipeline.core.supply.prepare import build_problem
from sop_pipeline.core.supply.safety_stock import safety_stock_targets
from sop_pipeline_tests.factories import (
    SUPPLY_CYCLE,
    TOL,
    assert_feasible,
    months,
    plan,
    series,
    supply_inputs,
)


def solved(inputs: SupplyInputs, frozen_months: int = 3) -> SupplyReview:
    review = plan(inputs, frozen_months)
    assert_feasible(review, inputs)
    return review


def test_capacity_exactly_binding() -> None:
    review = solved(supply_inputs({"A": [10.0] * 3}, {"R": [12.0] * 3}, [("A", "R", 2.0)]))
    np.testing.assert_allclose(series(review, "A", "production"), [6.0] * 3, atol=TOL)
    np.testing.assert_allclose(series(review, "A", "unmet_demand"), [4.0] * 3, atol=TOL)
    np.testing.assert_allclose(series(review, "A", "ending_inventory"), [0.0] * 3, atol=TOL)
    np.testing.assert_allclose(review.resource_load["utilization"], [1.0] * 3)


def test_capacity_dip_is_prebuilt_the_month_before() -> None:
    """Holding costs 0.1 per unit-month, a lost sale 10: the dip is made up one month early."""
    inputs = supply_inputs({"A": [10.0] * 4}, {"R": [15.0, 15.0, 5.0, 15.0]}, [("A", "R", 1.0)])
    review = solved(inputs)
    np.testing.assert_allclose(series(review, "A", "production"), [10, 15, 5, 10], atol=TOL)
    np.testing.assert_allclose(series(review, "A", "ending_inventory"), [0, 5, 0, 0], atol=TOL)
    np.testing.assert_allclose(series(review, "A", "unmet_demand"), [0] * 4, atol=TOL)


def test_higher_margin_sku_is_served_first() -> None:
    inputs = supply_inputs(
        {"CHEAP": [8.0, 8.0], "DEAR": [8.0, 8.0]},
        {"R": [10.0, 10.0]},
        [("CHEAP", "R", 1.0), ("DEAR", "R", 1.0)],
        price={"CHEAP": 10.0, "DEAR": 100.0},
        cost={"CHEAP": 5.0, "DEAR": 50.0},
    )
    review = solved(inputs)
    np.testing.assert_allclose(series(review, "DEAR", "production"), [8.0, 8.0], atol=TOL)
    np.testing.assert_allclose(series(review, "CHEAP", "production"), [2.0, 2.0], atol=TOL)
    np.testing.assert_allclose(series(review, "CHEAP", "unmet_demand"), [6.0, 6.0], atol=TOL)


def test_safety_stock_is_kept_when_possible_and_short_when_capacity_is() -> None:
    """Target 5 units; 2 spare units of capacity in January only: stock 2, shortfall 3."""
    sigma = 5.0 / (norm.ppf(0.95) * np.sqrt(3.0))  # lead 0 + review 1 + 2 months frozen
    inputs = supply_inputs(
        {"A": [10.0] * 3}, {"R": [12.0, 10.0, 10.0]}, [("A", "R", 1.0)], sigma={"A": sigma}
    )
    review = solved(inputs)
    np.testing.assert_allclose(series(review, "A", "safety_stock"), [5.0] * 3)
    np.testing.assert_allclose(series(review, "A", "ending_inventory"), [2.0] * 3, atol=TOL)
    np.testing.assert_allclose(series(review, "A", "unmet_demand"), [0.0] * 3, atol=TOL)
    below = review.exceptions.query("kind == 'below_safety_stock'")
    np.testing.assert_allclose(below["quantity"], [3.0] * 3, atol=TOL)


def test_production_arrives_lead_time_months_later() -> None:
    """Lead time 2: January and February cannot be served; the February dip (4 units) is made
    up by starting 16 in January, which arrives in March and covers April's gap."""
    inputs = supply_inputs(
        {"A": [10.0] * 5},
        {"R": [100.0, 4.0, 100.0, 100.0, 100.0]},
        [("A", "R", 1.0)],
        lead={"A": 2},
    )
    review = solved(inputs)
    np.testing.assert_allclose(series(review, "A", "production"), [16, 4, 10, 0, 0], atol=TOL)
    np.testing.assert_allclose(series(review, "A", "ending_inventory"), [0, 0, 6, 0, 0], atol=TOL)
    np.testing.assert_allclose(series(review, "A", "unmet_demand"), [10, 10, 0, 0, 0], atol=TOL)
    np.testing.assert_allclose(review.resource_load["required_hours"], [16, 4, 10, 0, 0])


@pytest.mark.parametrize(("rate", "used"), [(3.0, 2.0), (20.0, 0.0)])
def test_overtime_is_used_when_cheaper_than_the_lost_sale(rate: float, used: float) -> None:
    """A lost sale costs 10 per unit (one hour): overtime at 3 per hour pays, at 20 it does not."""
    inputs = supply_inputs(
        {"A": [10.0]}, {"R": [8.0]}, [("A", "R", 1.0)], overtime={"R": (5.0, rate)}
    )
    review = solved(inputs)
    np.testing.assert_allclose(review.resource_load["overtime_hours"], [used], atol=TOL)
    np.testing.assert_allclose(series(review, "A", "unmet_demand"), [2.0 - used], atol=TOL)


@dataclass(frozen=True)
class Instance:
    """A random planning problem as arrays: S SKUs, R resources, T months."""

    demand: np.ndarray  # (S, T)
    backlog: np.ndarray  # (S,), due in month `due`
    due: np.ndarray  # (S,) int, -1 = overdue (due in the cycle month)
    pinned: np.ndarray  # (S, 2) firm MPS of the first two months, NaN = SKU not in it
    on_hand: np.ndarray  # (S,)
    lead: np.ndarray  # (S,) int
    price: np.ndarray  # (S,)
    cost: np.ndarray  # (S,)
    sigma: np.ndarray  # (S,)
    hours: np.ndarray  # (S, R), zero = not routed
    available: np.ndarray  # (R, T)
    max_overtime: np.ndarray  # (R,)
    overtime_cost: np.ndarray  # (R,)
    receipts: np.ndarray  # (S, T) scheduled receipts (open orders, work in progress)


def random_instance(seed: int, n_skus: int = 5, n_res: int = 3, n_months: int = 6) -> Instance:
    rng = np.random.default_rng(seed)
    price = rng.uniform(5, 50, n_skus)
    hours = rng.uniform(0.5, 2.0, (n_skus, n_res)) * (rng.random((n_skus, n_res)) < 0.6)
    hours[0] = 0.0  # one SKU without routing
    pinned = np.where(rng.random((n_skus, 1)) < 0.4, rng.uniform(0, 2, (n_skus, 2)), np.nan)
    pinned[pinned < 0.5] = 0.0  # a firm zero: nothing made that month
    return Instance(
        demand=rng.uniform(0, 20, (n_skus, n_months)) * (rng.random((n_skus, n_months)) < 0.85),
        backlog=rng.uniform(0, 25, n_skus) * (rng.random(n_skus) < 0.6),
        due=rng.integers(-1, 3, n_skus),
        pinned=pinned,
        on_hand=rng.uniform(0, 15, n_skus),
        lead=rng.integers(0, 3, n_skus),
        price=price,
        cost=price * rng.uniform(0.3, 1.1, n_skus),
        sigma=rng.uniform(0, 4, n_skus) * (rng.random(n_skus) < 0.7),
        hours=hours,
        available=rng.uniform(5, 40, (n_res, n_months)),
        max_overtime=rng.uniform(0, 6, n_res),
        overtime_cost=rng.uniform(0, 30, n_res),
        receipts=rng.uniform(0, 10, (n_skus, n_months)) * (rng.random((n_skus, n_months)) < 0.2),
    )


def to_inputs(case: Instance) -> SupplyInputs:
    skus = [f"S{s}" for s in range(len(case.price))]
    resources = [f"R{r}" for r in range(len(case.max_overtime))]
    routes = [(skus[s], resources[r], h) for (s, r), h in np.ndenumerate(case.hours) if h > 0]
    due = [SUPPLY_CYCLE + pd.DateOffset(months=int(m), days=9) for m in case.due]
    orders = pd.DataFrame(
        {"order_id": skus, "line": 1, "sku": skus, "requested_date": due, "quantity": case.backlog}
    )
    in_mps = ~np.isnan(case.pinned[:, 0])
    mps = pd.DataFrame(
        [(skus[s], months(2)[t], q) for (s, t), q in np.ndenumerate(case.pinned) if q > 0],
        columns=["sku", "month", "quantity"],
    ).assign(firm=True)
    # a SKU of the previous MPS with firm zeros only still shows up: in a non-firm month
    later = pd.DataFrame({"sku": np.array(skus)[in_mps], "month": months(4)[3], "quantity": 5.0})
    return supply_inputs(
        {sku: list(row) for sku, row in zip(skus, case.demand, strict=True)},
        {res: list(row) for res, row in zip(resources, case.available, strict=True)},
        routes,
        price=dict(zip(skus, case.price, strict=True)),
        cost=dict(zip(skus, case.cost, strict=True)),
        lead=dict(zip(skus, case.lead.tolist(), strict=True)),
        on_hand=dict(zip(skus, case.on_hand, strict=True)),
        sigma={s: v for s, v in zip(skus, case.sigma, strict=True) if v > 0},
        overtime={
            r: (m, c)
            for r, m, c in zip(resources, case.max_overtime, case.overtime_cost, strict=True)
        },
        open_orders=orders[orders["quantity"] > 0],
        receipts=pd.DataFrame(
            [
                (skus[s], months(len(row))[t], q)
                for s, row in enumerate(case.receipts)
                for t, q in enumerate(row)
                if q > 0
            ],
            columns=["sku", "month", "quantity"],
        ),
        previous_mps=pd.concat([mps, later.assign(firm=False)], ignore_index=True),
    )


@dataclass(frozen=True)
class Coefficients:
    """Objective coefficients and safety stock targets from the documented default costs."""

    lost: np.ndarray
    lost_by_month: np.ndarray  # (S, T): 1 % dearer per month earlier (time preference)
    holding: np.ndarray
    shortfall: np.ndarray
    safety_stock: np.ndarray  # (S, T)


def coefficients(case: Instance) -> Coefficients:
    n_months = case.demand.shape[1]
    lost = np.maximum(np.maximum(case.price - case.cost, 0) + 0.5 * case.price, 1.0)
    holding = 0.02 * case.cost
    # √(L + R + F - 1): lead time, review month, and the 2 months beyond the cycle month that
    # the 3-month frozen zone commits (the instances are planned with frozen_months=3)
    target = norm.ppf(0.95) * case.sigma * np.sqrt(np.maximum(case.lead, 0) + 1 + 2)
    earlier = np.arange(n_months - 1, -1, -1)
    return Coefficients(
        lost=lost,
        lost_by_month=lost[:, None] * (1 + 0.01 * earlier[None, :]),
        holding=holding,
        shortfall=holding + np.minimum(0.02 * case.cost, lost * min(0.005, 0.5 / n_months)),
        safety_stock=np.repeat(target[:, None], n_months, axis=1),
    )


@dataclass(frozen=True)
class Variables:
    """Positions of the dense LP's variables: x, I, u, z, q (backorder) are (S, T), o is (R, T)."""

    x: np.ndarray
    inv: np.ndarray
    u: np.ndarray
    z: np.ndarray
    q: np.ndarray
    o: np.ndarray

    @classmethod
    def of(cls, n_skus: int, n_months: int, n_res: int) -> Variables:
        cell, n = np.arange(n_skus * n_months).reshape(n_skus, n_months), n_skus * n_months
        o = 5 * n + np.arange(n_res * n_months).reshape(n_res, n_months)
        return cls(cell, n + cell, 2 * n + cell, 3 * n + cell, 4 * n + cell, o)

    @property
    def count(self) -> int:
        return int(self.o.max()) + 1


def dense_rows(case: Instance, v: Variables) -> tuple[np.ndarray, ...]:
    """(A_eq, b_eq, A_ub, b_ub): balance rows, then capacity and safety stock rows."""
    (n_skus, n_months), n_res = case.demand.shape, case.available.shape[0]
    n_vars, target = v.count, coefficients(case).safety_stock
    due = np.zeros_like(case.demand)
    due[np.arange(n_skus), case.due.clip(min=0)] = case.backlog
    a_eq = np.zeros((n_skus * n_months, n_vars))
    b_eq = (case.receipts - case.demand - due).ravel()
    a_ub, b_ub = np.zeros((n_res * n_months, n_vars)), case.available.ravel()
    a_ss, b_ss = np.zeros((n_skus * n_months, n_vars)), -target.ravel()
    for (s, t), row in np.ndenumerate(v.x):
        # I[t] - u[t] - q[t] ... (shipped backlog = due + q[t-1] - q[t])
        a_eq[row, [v.inv[s, t], v.u[s, t], v.q[s, t]]] = [1.0, -1.0, -1.0]
        if t > 0:
            a_eq[row, [v.inv[s, t - 1], v.q[s, t - 1]]] = [-1.0, 1.0]  # ... - I[t-1] + q[t-1]
        else:
            b_eq[row] += case.on_hand[s]  # I[-1] = on hand, q[-1] = 0
        if t >= case.lead[s]:
            a_eq[row, v.x[s, t - case.lead[s]]] = -1.0  # ... - x[t - L] = -d[t]
        a_ss[row, [v.inv[s, t], v.z[s, t]]] = -1.0  # I + z >= ss
    for (r, t), row in np.ndenumerate(v.o - v.o.min()):
        a_ub[row, v.x[:, t]] = case.hours[:, r]  # sum_s hours x - o <= available
        a_ub[row, v.o[r, t]] = -1.0
    return a_eq, b_eq, np.vstack([a_ub, a_ss]), np.concatenate([b_ub, b_ss])


def linprog_optimum(case: Instance) -> float:
    """min lost.u + 2 lost.q + holding.I + shortfall.z + overtime cost.o, dense, from the maths,
    with 0 <= u <= d, 0 <= o <= max overtime, x, I, z, q >= 0, and x fixed to the firm MPS in
    the two months of the previous frozen zone that are still frozen."""
    (n_skus, n_months), n_res = case.demand.shape, case.available.shape[0]
    k, v = coefficients(case), Variables.of(n_skus, n_months, n_res)
    cost, lower, upper = np.zeros(v.count), np.zeros(v.count), np.full(v.count, np.inf)
    cost[v.inv], cost[v.z] = k.holding[:, None], k.shortfall[:, None]
    cost[v.u], upper[v.u] = k.lost_by_month, case.demand
    cost[v.q] = 2 * k.lost[:, None]
    cost[v.o], upper[v.o] = case.overtime_cost[:, None], case.max_overtime[:, None]
    pinned = ~np.isnan(case.pinned)
    lower[v.x[:, :2][pinned]] = upper[v.x[:, :2][pinned]] = case.pinned[pinned]
    a_eq, b_eq, a_ub, b_ub = dense_rows(case, v)
    bounds = list(zip(lower, upper, strict=True))
    result = linprog(cost, a_ub, b_ub, a_eq, b_eq, bounds=bounds, method="highs")
    assert result.status == 0, result.message
    return float(result.fun)


def plan_objective(review: SupplyReview, case: Instance) -> float:
    """The LP objective of the baseline plan, recomputed from the output frames."""
    k = coefficients(case)
    rows = review.supply_plan.query("scenario == 'baseline'").sort_values(["sku", "month"])
    shape = case.demand.shape
    backorder = rows["backorder"].to_numpy().reshape(shape)
    lost = rows["unmet_demand"].to_numpy().reshape(shape) - backorder
    stock = rows["ending_inventory"].to_numpy().reshape(shape)
    np.testing.assert_allclose(rows["safety_stock"].to_numpy().reshape(shape), k.safety_stock)
    shortfall = np.maximum(k.safety_stock - stock, 0.0)
    load = review.resource_load.sort_values(["resource", "month"])
    overtime = load["overtime_hours"].to_numpy().reshape(case.available.shape)
    return float(
        (k.lost_by_month * lost).sum()
        + (2 * k.lost[:, None] * backorder).sum()
        + (k.holding[:, None] * stock).sum()
        + (k.shortfall[:, None] * shortfall).sum()
        + (case.overtime_cost[:, None] * overtime).sum()
    )


def relaxed_solution(inputs: SupplyInputs, frozen_months: int = 3) -> LpSolution:
    """The LP optimum before rounding to whole lots, solved from the core functions."""
    horizon = int(pd.to_datetime(inputs.demand["month"]).nunique())
    problem = build_problem(inputs, SUPPLY_CYCLE, horizon, frozen_months)
    settings = CostSettings()
    targets = safety_stock_targets(problem, settings.default_service_level, frozen_months)
    return solve_problem(problem, unit_costs(problem, settings), targets)


@pytest.mark.parametrize("seed", range(8))
def test_optimum_equals_an_independent_linprog_formulation(seed: int) -> None:
    """The LP's optimum equals linprog's; the plan in whole units costs at least as much."""
    case = random_instance(seed)
    inputs = to_inputs(case)
    review = solved(inputs)
    assert list(review.supply_plan["sku"].unique()) == [f"S{s}" for s in range(5)]
    assert list(review.supply_plan["month"].unique()) == list(months(6))
    expected = linprog_optimum(case)
    relaxed = relaxed_solution(inputs)
    assert relaxed.objective == pytest.approx(expected, rel=1e-6, abs=1e-6)
    assert plan_objective(review, case) >= expected - 1e-6
    production = review.supply_plan.pivot(index="sku", columns="month", values="production")
    pinned = ~np.isnan(case.pinned)
    np.testing.assert_allclose(production.to_numpy()[:, :2][pinned], case.pinned[pinned])
