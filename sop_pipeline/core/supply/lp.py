"""The capacity-constrained supply LP (docs/supply.md, "The plan"): sparse build and HiGHS solve.

The documented model with the safety-stock row I + z >= ss folded into the variables: ending
inventory I = e - z + ss, stock above target e >= 0, shortfall 0 <= z <= ss. The optima agree
(at one, z = max(ss - I, 0) <= ss); holding.I + shortfall.z becomes holding.e + (shortfall -
holding).z plus a constant offset, and the model has one row fewer per SKU-month.

Columns, in blocks: production x[s,t] (started in t, arriving in t + lead time), e[s,t], unmet
demand u[s,t] <= d[s,t], backorder q[s,t] (open-order units still owed at the end of t, for the
SKU-months from the first month backlog is due; at most the backlog due so far), z for the
SKU-months with a positive target, overtime o[r,t] <= max overtime. Rows: one balance per
SKU-month, one capacity row per resource-month. Backlog due in t is shipped in t or carried as
q[t] into t + 1 (never lost) at `backlog` cost per unit-month, twice a lost sale by default, so
open orders are served before forecast demand. Nothing arrives before month `lead time`;
production that would arrive after the horizon is fixed at zero (it serves no demand of the
model, and left free it could take any value in an alternative optimum). Production pinned by
the previous cycle's firm MPS is fixed; where it needs more hours than available plus overtime
the capacity row is widened to fit it (a firm order is made, and `exceptions` shows the
overload). Maximum cover is not a constraint (a hard cap can contradict on-hand stock or a
needed pre-build): `exceptions` flags stock above it.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import scipy.sparse as sp

from sop_pipeline.core.supply.capacity import load_hours
from sop_pipeline.core.supply.costs import UnitCosts
from sop_pipeline.core.supply.model import FloatArray, LpSolution, SupplyProblem
from sop_pipeline.core.supply.solution import unpack_solution
from sop_pipeline.core.supply.solver import INF, LpModel, optimise

Entries = tuple[np.ndarray, np.ndarray, np.ndarray]


def _carried(cells: np.ndarray, n_months: int, col0: int) -> Entries:
    """(row, col, value) of a stock-like column per SKU-month cell (q or z): -1 in its own
    balance row, +1 in the next month's row (it is carried over)."""
    cols = col0 + np.arange(len(cells))
    carried = np.flatnonzero(cells % n_months < n_months - 1)
    rows = np.concatenate([cells, cells[carried] + 1])
    return (
        rows,
        np.concatenate([cols, cols[carried]]),
        np.repeat([-1.0, 1.0], [len(cells), len(carried)]),
    )


def _balance_entries(problem: SupplyProblem, q_cells: np.ndarray, z_cells: np.ndarray) -> Entries:
    """(row, col, value) of the balance rows of SKU-month (s, t): e[t] - z[t] - e[t-1] + z[t-1]
    - x[t-L] - u[t] - q[t] + q[t-1] = ss[t-1] - ss[t] - d[t] - B[t]."""
    n_skus, n_months = problem.n_skus, problem.n_months
    n = n_skus * n_months
    sku, month = np.divmod(np.arange(n), n_months)
    later = np.flatnonzero(month > 0)
    start = month - problem.lead_time[sku]
    arrives = np.flatnonzero(start >= 0)
    rows = [np.arange(n), later, arrives, np.arange(n)]
    cols = [n + np.arange(n), n + later - 1, sku[arrives] * n_months + start[arrives]]
    cols += [2 * n + np.arange(n)]
    values = [np.ones(n), -np.ones(len(later)), -np.ones(len(arrives)), -np.ones(n)]
    for block in (
        _carried(q_cells, n_months, 3 * n),
        _carried(z_cells, n_months, 3 * n + len(q_cells)),
    ):
        rows.append(block[0])
        cols.append(block[1])
        values.append(block[2])
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(values)


def _capacity_entries(problem: SupplyProblem, row0: int, overtime0: int) -> Entries:
    """(row, col, value) of the capacity rows sum_s hours[s,r] x[s,t] - o[r,t] <= available."""
    n_months = problem.n_months
    n_cap = problem.n_resources * n_months if problem.capacity_known else 0
    route_t = np.tile(np.arange(n_months), len(problem.route_sku))
    route_s = np.repeat(problem.route_sku, n_months)
    route_r = np.repeat(problem.route_resource, n_months)
    rows = np.concatenate([row0 + route_r * n_months + route_t, row0 + np.arange(n_cap)])
    cols = np.concatenate([route_s * n_months + route_t, overtime0 + np.arange(n_cap)])
    values = np.concatenate([np.repeat(problem.route_hours, n_months), -np.ones(n_cap)])
    return rows, cols, values


def _balance_rhs(problem: SupplyProblem, safety_stock: FloatArray) -> FloatArray:
    """ss[t-1] - ss[t] - d[t] - B[t] + R[t] per SKU-month (R = scheduled receipts), with on
    hand in place of ss[-1]."""
    previous = np.empty_like(safety_stock)
    previous[:, 1:] = safety_stock[:, :-1]
    previous[:, :1] = problem.on_hand[:, None]
    flow = problem.receipts - problem.total_demand
    return np.asarray(previous - safety_stock + flow).ravel()


def _production_bounds(problem: SupplyProblem) -> tuple[FloatArray, FloatArray]:
    """Bounds of x[s,t]: the pinned quantity where the firm MPS fixes it; else from zero to
    unbounded if it arrives inside the horizon, zero if not."""
    arrival = np.arange(problem.n_months)[None, :] + problem.lead_time[:, None]
    upper = np.where(arrival < problem.n_months, INF, 0.0)
    pinned = ~np.isnan(problem.pinned_production)
    lower = np.where(pinned, problem.pinned_production, 0.0)
    return lower.ravel(), np.where(pinned, problem.pinned_production, upper).ravel()


def _capacity_upper(problem: SupplyProblem) -> FloatArray:
    """Available hours per resource-month, widened where pinned production needs more than
    available plus overtime (the firm MPS is kept)."""
    pinned_load = load_hours(problem, np.nan_to_num(problem.pinned_production, nan=0.0))
    return np.maximum(problem.available, pinned_load - problem.max_overtime).ravel()


def build_lp(problem: SupplyProblem, costs: UnitCosts, safety_stock: FloatArray) -> LpModel:
    """The supply LP of `problem` with safety stock targets `safety_stock` (S, T)."""
    n = problem.n_skus * problem.n_months
    n_cap = problem.n_resources * problem.n_months if problem.capacity_known else 0
    due_so_far = problem.backlog.cumsum(axis=1).ravel()
    q_cells = np.flatnonzero(due_so_far > 0)
    z_cells = np.flatnonzero(safety_stock.ravel() > 0)
    n_cols = 3 * n + len(q_cells) + len(z_cells) + n_cap
    parts = (
        _balance_entries(problem, q_cells, z_cells),
        _capacity_entries(problem, n, n_cols - n_cap),
    )
    rows, cols, values = (np.concatenate(block) for block in zip(*parts, strict=True))
    rhs = _balance_rhs(problem, safety_stock)
    x_lower, x_upper = _production_bounds(problem)
    return LpModel(
        matrix=sp.csc_matrix((values, (rows, cols)), shape=(n + n_cap, n_cols)),
        cost=_column_costs(problem, costs, q_cells, z_cells, n_cap),
        offset=float(np.repeat(costs.holding, problem.n_months) @ safety_stock.ravel()),
        col_lower=np.concatenate([x_lower, np.zeros(n_cols - n)]),
        col_upper=np.concatenate(
            [
                x_upper,
                np.full(n, INF),
                problem.demand.ravel(),
                due_so_far[q_cells],
                safety_stock.ravel()[z_cells],
                problem.max_overtime.ravel()[:n_cap],
            ]
        ),
        row_lower=np.concatenate([rhs, np.full(n_cap, -INF)]),
        row_upper=np.concatenate([rhs, _capacity_upper(problem)[:n_cap]]),
        backorder_cells=q_cells,
        shortfall_cells=z_cells,
    )


def _column_costs(
    problem: SupplyProblem,
    costs: UnitCosts,
    q_cells: np.ndarray,
    z_cells: np.ndarray,
    n_cap: int,
) -> FloatArray:
    """Objective coefficients in column order: x (free), e (holding), u (lost sale), q
    (backlog), z (shortfall less holding, since I = e - z + ss) and o (overtime)."""
    n_months = problem.n_months
    holding = np.repeat(costs.holding, n_months)
    return np.concatenate(
        [
            np.zeros(problem.n_skus * n_months),
            holding,
            costs.lost_sale_by_month(n_months).ravel(),
            np.repeat(costs.backlog, n_months)[q_cells],
            (np.repeat(costs.shortfall, n_months) - holding)[z_cells],
            problem.overtime_cost.ravel()[:n_cap],
        ]
    )


def solve_problem(
    problem: SupplyProblem,
    costs: UnitCosts,
    safety_stock: FloatArray,
    solver: str = "simplex",
    start: object | None = None,
) -> LpSolution:
    """Build and solve the LP of `problem` (from basis `start`, the `basis` of a solution of a
    variant of it, when given), and unpack the optimum into plan arrays."""
    model = build_lp(problem, costs, safety_stock)
    optimum = optimise(model, solver, start)
    solution = unpack_solution(
        problem, model, safety_stock, optimum.values, optimum.duals, optimum.objective
    )
    return dataclasses.replace(solution, basis=optimum.basis, iterations=optimum.iterations)
