"""Solving a built supply LP with HiGHS: the model passed as arrays, the status read back.

The model goes to HiGHS as one column-wise sparse matrix (`passModel` of a `HighsLp`), with no
per-variable Python calls. No optimum fails the cycle with `SupplyPlanError` naming the cause.
An optimum keeps its simplex basis, so a variant of the same LP (other bounds, same rows and
columns: a SKU's frozen months freed, production fixed at rounded lots) can start from it and
needs a few pivots instead of a solve from scratch.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import highspy
import numpy as np
import scipy.sparse as sp

from sop_pipeline.core.supply.model import FloatArray, SupplyPlanError

INF = highspy.kHighsInf


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
    backorder_cells: np.ndarray  # flat SKU-month index of each q column
    shortfall_cells: np.ndarray  # flat SKU-month index of each z column


@dataclass(frozen=True)
class LpOptimum:
    """An optimum: column values, row duals, objective, simplex iterations it took and its
    basis (None when the model was empty)."""

    values: FloatArray
    duals: FloatArray
    objective: float
    iterations: int
    basis: highspy.HighsBasis | None


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
    with _stdout_silenced():
        highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("solver", solver)
    if highs.passModel(lp) == highspy.HighsStatus.kError:
        raise SupplyPlanError("HiGHS rejected the supply LP (NaN or inconsistent bounds)")
    return highs


@contextmanager
def _stdout_silenced() -> Iterator[None]:
    """File descriptor 1 sent to /dev/null: HiGHS prints its banner from C++ when the first
    solver of the process is built, before `output_flag` can be set."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


_NO_OPTIMUM = {
    highspy.HighsModelStatus.kInfeasible: "the constraints cannot all hold (infeasible)",
    highspy.HighsModelStatus.kUnbounded: "the objective is unbounded (a negative cost)",
    highspy.HighsModelStatus.kUnboundedOrInfeasible: "infeasible or unbounded",
}


def solve_lp(model: LpModel, solver: str = "simplex") -> tuple[FloatArray, FloatArray, float]:
    """Solve `model` with HiGHS: (column values, row duals, objective); raise on no optimum."""
    optimum = optimise(model, solver)
    return optimum.values, optimum.duals, optimum.objective


def optimise(model: LpModel, solver: str = "simplex", start: object | None = None) -> LpOptimum:
    """The optimum of `model`, the simplex started from `start` when it is the basis of an LP
    with the same rows and columns; raise on no optimum."""
    highs = _highs(model, solver)
    n_rows, n_cols = model.matrix.shape
    if (
        isinstance(start, highspy.HighsBasis)
        and solver == "simplex"
        and (len(start.col_status), len(start.row_status)) == (n_cols, n_rows)
    ):
        highs.setBasis(start)
    highs.run()
    status = highs.getModelStatus()
    if status == highspy.HighsModelStatus.kModelEmpty:
        return LpOptimum(np.zeros(n_cols), np.zeros(n_rows), model.offset, 0, None)
    if status != highspy.HighsModelStatus.kOptimal:
        cause = _NO_OPTIMUM.get(status, highs.modelStatusToString(status))
        raise SupplyPlanError(f"HiGHS found no optimal supply plan: {cause}")
    solution, info = highs.getSolution(), highs.getInfo()
    return LpOptimum(
        values=np.asarray(solution.col_value),
        duals=np.asarray(solution.row_dual),
        objective=float(info.objective_function_value),
        iterations=int(info.simplex_iteration_count),
        basis=highs.getBasis(),
    )
