"""The capacity-constrained supply LP (DESIGN.md §4): sparse build and HiGHS solve.

Columns, in blocks: production x[s,t] (started in t, arriving in t + lead time), ending
inventory I[s,t], unmet demand u[s,t] <= d[s,t], unmet backlog b[s] <= backlog[s] (month 0 only),
safety-stock shortfall z for the SKU-months with a positive target, overtime o[r,t] <=
max overtime. Rows: one balance per SKU-month, one safety-stock row per SKU-month with a target,
one capacity row per resource-month. Production arriving before month `lead time` is zero (it
would have had to start before the cycle); production that arrives after the horizon still loads
capacity but serves no demand, so the optimum does not make it. Maximum cover is not a
constraint (a hard cap can contradict on-hand stock or a needed pre-build); holding cost keeps
stock down and `exceptions` flags stock above it.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np
import scipy.sparse as sp

from sop_pipeline.core.supply.costs import UnitCosts
from sop_pipeline.core.supply.model import FloatArray, LpSolution, SupplyPlanError, SupplyProblem

INF = highspy.kHighsInf


@dataclass(frozen=True)
class LpModel:
    """A built LP: min c'v s.t. row_lower <= A v <= row_upper, col_lower <= v <= col_upper."""

    matrix: sp.csc_matrix
    cost: FloatArray
    col_lower: FloatArray
    col_upper: FloatArray
    row_lower: FloatArray
    row_upper: FloatArray
    shortfall_cells: np.ndarray  # flat SKU-month index of each z column / safety-stock row
    n_balance: int


def _balance_entries(problem: SupplyProblem) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, col, value) of the balance rows I[t] - I[t-1] - x[t-L] - u[t] (- b in month 0)."""
    n_skus, n_months = problem.n_skus, problem.n_months
    n = n_skus * n_months
    sku, month = np.divmod(np.arange(n), n_months)
    later = month > 0
    start = month - problem.lead_time[sku]
    arrives = start >= 0
    rows = [np.arange(n), np.flatnonzero(later), np.flatnonzero(arrives), np.arange(n)]
    cols = [
        n + np.arange(n),
        n + np.flatnonzero(later) - 1,
        (sku * n_months + start)[arrives],
        2 * n + np.arange(n),
    ]
    values = [np.ones(n), -np.ones(later.sum()), -np.ones(arrives.sum()), -np.ones(n)]
    rows.append(np.arange(n_skus) * n_months)
    cols.append(3 * n + np.arange(n_skus))
    values.append(-np.ones(n_skus))
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(values)


def build_lp(problem: SupplyProblem, costs: UnitCosts, safety_stock: FloatArray) -> LpModel:
    """The supply LP of `problem` with safety stock targets `safety_stock` (S, T)."""
    n_skus, n_months, n_res = problem.n_skus, problem.n_months, problem.n_resources
    n = n_skus * n_months
    cells = np.flatnonzero(safety_stock.ravel() > 0)
    n_z, z0 = len(cells), 3 * n + n_skus
    o0 = z0 + n_z
    rows, cols, values = _balance_entries(problem)
    ss_rows = n + np.arange(n_z)
    cap0 = n + n_z
    route_t = np.tile(np.arange(n_months), len(problem.route_sku))
    route_s = np.repeat(problem.route_sku, n_months)
    route_r = np.repeat(problem.route_resource, n_months)
    n_cap = n_res * n_months if problem.capacity_known else 0
    overtime_cells = np.arange(n_cap)
    rows = np.concatenate(
        [rows, ss_rows, ss_rows, cap0 + route_r * n_months + route_t, cap0 + overtime_cells]
    )
    cols = np.concatenate(
        [cols, n + cells, z0 + np.arange(n_z), route_s * n_months + route_t, o0 + overtime_cells]
    )
    values = np.concatenate(
        [values, np.ones(2 * n_z), np.repeat(problem.route_hours, n_months), -np.ones(n_cap)]
    )
    n_cols, n_rows = o0 + n_cap, cap0 + n_cap
    matrix = sp.coo_matrix((values, (rows, cols)), shape=(n_rows, n_cols)).tocsc()
    demand = problem.demand.ravel()
    balance_rhs = -demand.copy()
    balance_rhs[np.arange(n_skus) * n_months] += problem.on_hand - problem.backlog
    return LpModel(
        matrix=matrix,
        cost=np.concatenate(
            [
                np.zeros(n),
                np.repeat(costs.holding, n_months),
                np.repeat(costs.lost_sale, n_months),
                costs.backlog,
                np.repeat(costs.shortfall, n_months)[cells],
                problem.overtime_cost.ravel()[:n_cap],
            ]
        ),
        col_lower=np.zeros(n_cols),
        col_upper=np.concatenate(
            [
                np.full(2 * n, INF),
                demand,
                problem.backlog,
                np.full(n_z, INF),
                problem.max_overtime.ravel()[:n_cap],
            ]
        ),
        row_lower=np.concatenate([balance_rhs, safety_stock.ravel()[cells], np.full(n_cap, -INF)]),
        row_upper=np.concatenate(
            [balance_rhs, np.full(n_z, INF), problem.available.ravel()[:n_cap]]
        ),
        shortfall_cells=cells,
        n_balance=n,
    )


def _highs(model: LpModel, solver: str) -> highspy.Highs:
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = model.matrix.shape[1], model.matrix.shape[0]
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = model.cost, model.col_lower, model.col_upper
    lp.row_lower_, lp.row_upper_ = model.row_lower, model.row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = model.matrix.indptr.astype(np.int32)
    lp.a_matrix_.index_ = model.matrix.indices.astype(np.int32)
    lp.a_matrix_.value_ = model.matrix.data.astype(float)
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("solver", solver)
    highs.passModel(lp)
    return highs


def solve_lp(model: LpModel, solver: str = "simplex") -> tuple[FloatArray, FloatArray, float]:
    """Solve `model` with HiGHS: (column values, row duals, objective); raise on no optimum."""
    highs = _highs(model, solver)
    highs.run()
    status = highs.getModelStatus()
    if status == highspy.HighsModelStatus.kModelEmpty:
        return np.zeros(model.matrix.shape[1]), np.zeros(model.matrix.shape[0]), 0.0
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
    shape, n = (problem.n_skus, problem.n_months), problem.n_skus * problem.n_months
    model = build_lp(problem, costs, safety_stock)
    values, duals, objective = solve_lp(model, solver)
    shortfall = np.zeros(n)
    shortfall[model.shortfall_cells] = values[3 * n + problem.n_skus :][
        : len(model.shortfall_cells)
    ]
    unmet = values[2 * n : 3 * n].reshape(shape).copy()
    backlog_unmet = values[3 * n : 3 * n + problem.n_skus]
    if problem.n_months:
        unmet[:, 0] += backlog_unmet
    n_cap = problem.n_resources * problem.n_months if problem.capacity_known else 0
    res_shape = (problem.n_resources, problem.n_months)
    cap_duals = duals[len(duals) - n_cap :] if n_cap else np.zeros(0)
    overtime = values[len(values) - n_cap :] if n_cap else np.zeros(0)
    return LpSolution(
        production=values[:n].reshape(shape),
        inventory=values[n : 2 * n].reshape(shape),
        unmet=unmet,
        backlog_unmet=backlog_unmet,
        shortfall=shortfall.reshape(shape),
        overtime=overtime.reshape(res_shape) if n_cap else np.zeros(res_shape),
        shadow_price=(-cap_duals).clip(min=0.0).reshape(res_shape)
        if n_cap
        else np.zeros(res_shape),
        objective=objective,
    )
