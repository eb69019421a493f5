"""Whole-unit production: the LP's production rounded to whole units or lot multiples.

A SKU may start 0 or a multiple of its `lot_size` (1 when the item has none: whole units) that
is at least its `min_lot`. The LP's fractional optimum is repaired, never re-optimised:

1. every free production cell is rounded down to the nearest allowed quantity (below the
   minimum lot: 0), which only lowers the load, so capacity still holds;
2. lots are added back month by month, earliest first, to every cell whose SKU is behind the
   LP's cumulative production (what the LP had started by then less what the rounded plan
   has), most behind first (in lots, then higher unit margin, then SKU order, so a re-run gives
   the same plan), where every resource of its routing still has the hours (available plus
   overtime, as the LP's capacity rows). Tracking the cumulative quantity keeps the rounded
   plan within a lot of the LP's wherever the hours allow: a lot made early is not made again
   next month;
3. the LP is solved again with production fixed at the rounded quantities, so inventory,
   unmet demand, backorders and overtime are the best the rounded production allows and the
   balance opening + receipts + arrivals - shipments = ending holds as in the LP.

Shadow prices and pin values stay those of the LP: rounding moves each quantity by less than
a lot, and what an hour or a pinned unit is worth is the relaxation's. Pinned (firm) cells keep
the quantity released: it came from an MPS in whole lots, so a firm row is never below one
unit.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from sop_pipeline.core.names import SOLVER_TOLERANCE
from sop_pipeline.core.supply.capacity import load_hours
from sop_pipeline.core.supply.costs import UnitCosts
from sop_pipeline.core.supply.lp import solve_problem
from sop_pipeline.core.supply.model import FloatArray, LpSolution, SupplyProblem


def _steps(problem: SupplyProblem) -> tuple[FloatArray, FloatArray]:
    """(lot, smallest positive quantity) per SKU: the lot size (1 without one) and the
    minimum lot rounded up to a lot multiple (at least one lot)."""
    lot = np.where(problem.lot_size > 0, problem.lot_size, 1.0)
    first = np.maximum(np.ceil(problem.min_lot / lot - SOLVER_TOLERANCE), 1.0) * lot
    return lot, first


def round_down(quantity: FloatArray, lot: FloatArray, first: FloatArray) -> FloatArray:
    """The largest allowed quantity <= `quantity` per cell (S, T)."""
    lots = np.floor(quantity / lot[:, None] + SOLVER_TOLERANCE) * lot[:, None]
    return np.where(lots >= first[:, None] - SOLVER_TOLERANCE, lots, 0.0)


def round_up(quantity: FloatArray, lot: FloatArray, first: FloatArray) -> FloatArray:
    """The smallest allowed quantity >= `quantity` per cell (S, T); 0 stays 0."""
    lots = np.ceil(quantity / lot[:, None] - SOLVER_TOLERANCE) * lot[:, None]
    return np.where(quantity > SOLVER_TOLERANCE, np.maximum(lots, first[:, None]), 0.0)


def capacity_limit(problem: SupplyProblem) -> FloatArray:
    """Hours per resource-month the production may load: available plus overtime, widened as
    the LP widens it for pinned production (`lp._capacity_upper`)."""
    pinned_load = load_hours(problem, np.nan_to_num(problem.pinned_production, nan=0.0))
    return np.maximum(problem.available + problem.max_overtime, pinned_load)


def _add_lots(
    problem: SupplyProblem, relaxed: FloatArray, rounded: FloatArray, free: np.ndarray
) -> FloatArray:
    """Step 2 of the repair: lots added where the SKU is behind the LP and hours allow."""
    lot, first = _steps(problem)
    routes = [np.flatnonzero(problem.route_sku == s) for s in range(problem.n_skus)]
    pinned = np.nan_to_num(problem.pinned_production, nan=0.0)
    headroom = capacity_limit(problem) - load_hours(problem, rounded + pinned)
    margin = np.nan_to_num(problem.unit_price - problem.unit_cost, nan=0.0)
    behind = np.zeros(problem.n_skus)
    for t in range(problem.n_months):
        behind += relaxed[:, t] - rounded[:, t]
        candidates = np.flatnonzero(free[:, t] & (behind > SOLVER_TOLERANCE))
        order = np.lexsort((candidates, -margin[candidates], -behind[candidates] / lot[candidates]))
        for s in candidates[order]:
            step = first[s] if rounded[s, t] <= SOLVER_TOLERANCE else lot[s]
            hours = problem.route_hours[routes[s]] * step
            resources = problem.route_resource[routes[s]]
            if problem.capacity_known and np.any(
                headroom[resources, t] - hours < -SOLVER_TOLERANCE
            ):
                continue
            headroom[resources, t] -= hours
            rounded[s, t] += step
            behind[s] -= step
    return rounded


def whole_production(problem: SupplyProblem, relaxed: FloatArray) -> FloatArray:
    """The LP's production `relaxed` (S, T) rounded to allowed quantities (steps 1 and 2);
    pinned cells keep their pin and cells the LP fixes at zero stay zero."""
    lot, first = _steps(problem)
    pinned = ~np.isnan(problem.pinned_production)
    arrival = np.arange(problem.n_months)[None, :] + problem.lead_time[:, None]
    free = ~pinned & (arrival < problem.n_months)
    rounded = np.where(free, round_down(relaxed.clip(min=0.0), lot, first), 0.0)
    rounded = _add_lots(problem, np.where(free, relaxed, 0.0), rounded, free)
    return np.where(pinned, np.nan_to_num(problem.pinned_production, nan=0.0), rounded)


def solve_in_lots(
    problem: SupplyProblem,
    costs: UnitCosts,
    safety_stock: FloatArray,
    solver: str = "simplex",
    start: tuple[object, object] | object | None = None,
) -> LpSolution:
    """The plan of `problem` with production in allowed quantities: the LP, its production
    rounded (steps 1 and 2) and the LP solved again with production fixed there (step 3).
    `objective` is the rounded plan's cost, `relaxed_objective` the LP's. Its `basis` is the
    pair of the two solves' bases; given as `start` (the plan of a variant of `problem`, as when
    the baseline's frozen-zone conflicts are priced) each solve starts from its own."""
    relaxed_start, rounded_start = start if isinstance(start, tuple) else (None, None)
    relaxed = solve_problem(problem, costs, safety_stock, solver, relaxed_start)
    production = whole_production(problem, relaxed.production)
    fixed = dataclasses.replace(problem, pinned_production=production)
    rounded = solve_problem(fixed, costs, safety_stock, solver, rounded_start)
    return dataclasses.replace(
        rounded,
        production=production,
        shadow_price=relaxed.shadow_price,
        production_value=relaxed.production_value,
        relaxed_objective=relaxed.objective,
        relaxed_short=relaxed.unmet + relaxed.backorder,
        basis=(relaxed.basis, rounded.basis),
        iterations=relaxed.iterations + rounded.iterations,
    )
