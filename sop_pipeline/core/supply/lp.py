"""The capacity-constrained supply LP (DESIGN.md §4): sparse build and HiGHS solve.

DESIGN.md's model with the safety-stock row I + z >= ss folded into the variables: ending
inventory I = e - z + ss, stock above target e >= 0, shortfall 0 <= z <= ss. The optima agree
(at one, z = max(ss - I, 0) <= ss); holding.I + shortfall.z becomes holding.e + (shortfall -
holding).z plus a constant offset, and the model has one row fewer per SKU-month.

Columns, in blocks: production x[s,t] (started in t, arriving in t + lead time), e[s,t], unmet
demand u[s,t] <= d[s,t], unmet backlog b[s] <= backlog[s] (month 0 only), z for the SKU-months
with a positive target, overtime o[r,t] <= max overtime. Rows: one balance per SKU-month, one
capacity row per resource-month. Nothing arrives before month `lead time`; production that would
arrive after the horizon is fixed at zero (it serves no demand of the model, and left free it
could take any value in an alternative optimum). Maximum cover is not a constraint (a hard cap
can contradict on-hand stock or a needed pre-build): `exceptions` flags stock above it.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np
import scipy.sparse as sp

from sop_pipeline.core.supply.costs import UnitCosts
from sop_pipeline.core.supply.model import FloatArray, LpSolution, SupplyPlanError, SupplyProblem

INF = highspy.kHighsInf
Entries = tuple[np.ndarray, np.ndarray, np.ndarray]


@dataclass(frozen=True)
class LpModel:
    """A built LP: min c'v + offset s.t. row_lower <= A v <= row_upper, col bounds on v."""

    matrix: sp.csc_matrix
    cost: FloatArray
    offset: float
    col_lower: FloatArray
    col_upper: FloatArray
    row_lower: FloatArray
    row_upper: FloatArray
    shortfall_cells: np.ndarray  # flat SKU-month index of each z column


def _balance_entries(problem: SupplyProblem, cells: np.ndarray) -> Entries:
    """(row, col, value) of the balance rows of SKU-month (s, t):
    e[t] - z[t] - e[t-1] + z[t-1] - x[t-L] - u[t] (- b in month 0) = ss[t-1] - ss[t] - d[t]."""
    n_skus, n_months = problem.n_skus, problem.n_months
    n, z0 = n_skus * n_months, 3 * n_skus * n_months + n_skus
    sku, month = np.divmod(np.arange(n), n_months)
    later = np.flatnonzero(month > 0)
    start = month - problem.lead_time[sku]
    arrives = np.flatnonzero(start >= 0)
    carried = np.flatnonzero(month[cells] < n_months - 1)
    rows = [np.arange(n), later, arrives, np.arange(n), np.arange(n_skus) * n_months]
    cols = [n + np.arange(n), n + later - 1, sku[arrives] * n_months + start[arrives]]
    cols += [2 * n + np.arange(n), 3 * n + np.arange(n_skus)]
    values = [np.ones(n), -np.ones(len(later)), -np.ones(len(arrives)), -np.ones(n)]
    values += [-np.ones(n_skus)]
    rows += [cells, cells[carried] + 1]
    cols += [z0 + np.arange(len(cells)), z0 + carried]
    values += [-np.ones(len(cells)), np.ones(len(carried))]
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
    """ss[t-1] - ss[t] - d[t] per SKU-month, with on hand - backlog in place of ss[-1]."""
    previous = np.empty_like(safety_stock)
    previous[:, 1:] = safety_stock[:, :-1]
    previous[:, :1] = (problem.on_hand - problem.backlog)[:, None]
    return np.asarray(previous - safety_stock - problem.demand).ravel()


def _production_upper(problem: SupplyProblem) -> FloatArray:
    """Upper bound of x[s,t]: unbounded if it arrives inside the horizon, else zero."""
    arrival = np.arange(problem.n_months)[None, :] + problem.lead_time[:, None]
    return np.where(arrival < problem.n_months, INF, 0.0).ravel()


def build_lp(problem: SupplyProblem, costs: UnitCosts, safety_stock: FloatArray) -> LpModel:
    """The supply LP of `problem` with safety stock targets `safety_stock` (S, T)."""
    n_months, n = problem.n_months, problem.n_skus * problem.n_months
    n_cap = problem.n_resources * n_months if problem.capacity_known else 0
    cells = np.flatnonzero(safety_stock.ravel() > 0)
    n_cols = 3 * n + problem.n_skus + len(cells) + n_cap
    parts = (_balance_entries(problem, cells), _capacity_entries(problem, n, n_cols - n_cap))
    rows, cols, values = (np.concatenate(block) for block in zip(*parts, strict=True))
    rhs = _balance_rhs(problem, safety_stock)
    holding = np.repeat(costs.holding, n_months)
    return LpModel(
        matrix=sp.coo_matrix((values, (rows, cols)), shape=(n + n_cap, n_cols)).tocsc(),
        cost=np.concatenate(
            [
                np.zeros(n),
                holding,
                np.repeat(costs.lost_sale, n_months),
                costs.backlog,
                (np.repeat(costs.shortfall, n_months) - holding)[cells],
                problem.overtime_cost.ravel()[:n_cap],
            ]
        ),
        offset=float(holding @ safety_stock.ravel()),
        col_lower=np.zeros(n_cols),
        col_upper=np.concatenate(
            [
                _production_upper(problem),
                np.full(n, INF),
                problem.demand.ravel(),
                problem.backlog,
                safety_stock.ravel()[cells],
                problem.max_overtime.ravel()[:n_cap],
            ]
        ),
        row_lower=np.concatenate([rhs, np.full(n_cap, -INF)]),
        row_upper=np.concatenate([rhs, problem.available.ravel()[:n_cap]]),
        shortfall_cells=cells,
    )


def _highs(model: LpModel, solver: str) -> highspy.Highs:
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = model.matrix.shape[1], model.matrix.shape[0]
    lp.col_cost_, lp.offset_ = model.cost, model.offset
    lp.col_lower_, lp.col_upper_ = model.col_lower, model.col_upper
    lp.row_lower_, lp.row_upper_ = model.row_lower, model.row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = model.matrix.indptr.astype(np.int32)
    lp.a_matrix_.index_ = model.matrix.indices.astype(np.int32)
    lp.a_matrix_.value_ = model.matrix.data.astype(float)
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("solver", solver)
    if highs.passModel(lp) == highspy.HighsStatus.kError:
        raise SupplyPlanError("HiGHS rejected the supply LP (NaN or inconsistent bounds)")
    return highs


def solve_lp(model: LpModel, solver: str = "simplex") -> tuple[FloatArray, FloatArray, float]:
    """Solve `model` with HiGHS: (column values, row duals, objective); raise on no optimum."""
    highs = _highs(model, solver)
    highs.run()
    status = highs.getModelStatus()
    if status == highspy.HighsModelStatus.kModelEmpty:
        return np.zeros(model.matrix.shape[1]), np.zeros(model.matrix.shape[0]), model.offset
    if status != highspy.HighsModelStatus.kOptimal:
        cause = {
            highspy.HighsModelStatus.kInfeasible: "the constraints cannot all hold (infeasible)",
            highspy.HighsModelStatus.kUnbounded: "the objective is unbounded (a negative cost)",
            highspy.HighsModelStatus.kUnboundedOrInfeasible: "infeasible or unbounded",
        }.get(status, highs.modelStatusToString(status))
        raise SupplyPlanError(f"HiGHS found no optimal supply plan: {cause}")
    solution = highs.getSolution()
    objective = float(highs.getInfo().objective_function_value)
    return np.asarray(solution.col_value), np.asarray(solution.row_dual), objective


def solve_problem(
    problem: SupplyProblem, costs: UnitCosts, safety_stock: FloatArray, solver: str = "simplex"
) -> LpSolution:
    """Build and solve the LP of `problem`, and unpack the optimum into plan arrays."""
    n_skus, n_months = problem.n_skus, problem.n_months
    shape, res_shape, n = (n_skus, n_months), (problem.n_resources, n_months), n_skus * n_months
    n_cap = problem.n_resources * n_months if problem.capacity_known else 0
    model = build_lp(problem, costs, safety_stock)
    values, duals, objective = solve_lp(model, solver)
    # every column is >= 0; HiGHS may return one up to its feasibility tolerance below zero
    values = values.clip(min=0.0)
    ends = np.cumsum([n, n, n, n_skus, len(model.shortfall_cells)])
    production, above, unmet, backlog_unmet, below, overtime = np.split(values, ends)
    shortfall = np.zeros(n)
    shortfall[model.shortfall_cells] = below
    inventory = (above - shortfall + safety_stock.ravel()).clip(min=0.0).reshape(shape)
    unmet = unmet.reshape(shape)
    unmet[:, :1] += backlog_unmet[:, None]
    return LpSolution(
        production=production.reshape(shape),
        inventory=inventory,
        unmet=unmet,
        # z is free when stock costs nothing; the shortfall is what the inventory leaves
        shortfall=(safety_stock - inventory).clip(min=0.0),
        overtime=overtime.reshape(res_shape) if n_cap else np.zeros(res_shape),
        shadow_price=(-duals[len(duals) - n_cap :]).clip(min=0.0).reshape(res_shape)
        if n_cap
        else np.zeros(res_shape),
        objective=objective,
    )
