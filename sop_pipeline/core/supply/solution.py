"""From an optimum of the supply LP (`lp`) back to the plan's SKU x month and resource x month
arrays: column values split by block, the cell-indexed blocks (backorder q, shortfall z) spread
over the full grid, ending inventory rebuilt from e - z + ss, shadow prices from the capacity
rows' duals, and the value of one more unit of production from the reduced costs of the
production columns (c - A'y, computed here from the row duals)."""

from __future__ import annotations

import numpy as np

from sop_pipeline.core.supply.model import FloatArray, LpSolution, SupplyProblem
from sop_pipeline.core.supply.solver import LpModel


def _on_cells(values: FloatArray, cells: np.ndarray, size: int) -> FloatArray:
    full = np.zeros(size)
    full[cells] = values
    return full


def unpack_solution(
    problem: SupplyProblem,
    model: LpModel,
    safety_stock: FloatArray,
    values: FloatArray,
    duals: FloatArray,
    objective: float,
) -> LpSolution:
    """The plan arrays of an optimum of `model` (column values and row duals)."""
    shape, res_shape = (problem.n_skus, problem.n_months), (problem.n_resources, problem.n_months)
    n = problem.n_skus * problem.n_months
    n_cap = problem.n_resources * problem.n_months if problem.capacity_known else 0
    # every column is >= 0; HiGHS may return one up to its feasibility tolerance below zero
    values = values.clip(min=0.0)
    ends = np.cumsum([n, n, n, len(model.backorder_cells), len(model.shortfall_cells)])
    production, above, unmet, backorder, below, overtime = np.split(values, ends)
    reduced = model.cost[:n] - model.matrix[:, :n].T @ duals
    shortfall = _on_cells(below, model.shortfall_cells, n)
    inventory = (above - shortfall + safety_stock.ravel()).clip(min=0.0).reshape(shape)
    return LpSolution(
        production=production.reshape(shape),
        inventory=inventory,
        unmet=unmet.reshape(shape),
        backorder=_on_cells(backorder, model.backorder_cells, n).reshape(shape),
        # z is free when stock costs nothing; the shortfall is what the inventory leaves
        shortfall=(safety_stock - inventory).clip(min=0.0),
        overtime=overtime.reshape(res_shape) if n_cap else np.zeros(res_shape),
        shadow_price=(-duals[len(duals) - n_cap :]).clip(min=0.0).reshape(res_shape)
        if n_cap
        else np.zeros(res_shape),
        objective=objective,
        production_value=(-reduced).reshape(shape),
    )
