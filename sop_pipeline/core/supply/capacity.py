"""Rough-cut capacity: the load that planned and unconstrained production put on each resource.

`resource_load` has one row per scenario x resource x month. required_hours is the load of the
production started in the month; unconstrained_required_hours is the load the full demand
(forecast plus backlog due) would put on the resource if every unit were started exactly its
lead time before the month it is due, not netted against stock: the load sits in the month the
production starts, as required_hours does. utilization = required / available, NaN where no
hours are available (a missing resource-month counts as zero available hours). shadow_price is
the LP dual of the capacity row: the objective saved by one more hour in that month.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sop_pipeline.core.supply.model import FloatArray, LpSolution, SupplyProblem
from sop_pipeline.core.tables import row_columns

RESOURCE_LOAD_COLUMNS = row_columns("resource_load")


def load_hours(problem: SupplyProblem, quantity: FloatArray) -> FloatArray:
    """Hours per resource and month, shape (R, T), to make `quantity` (S, T) in each month."""
    hours = np.zeros((problem.n_resources, problem.n_months))
    if problem.capacity_known and len(problem.route_sku):
        weighted = quantity[problem.route_sku] * problem.route_hours[:, None]
        np.add.at(hours, problem.route_resource, weighted)
    return hours


@dataclass(frozen=True)
class Load:
    """Hours per resource and month, shape (R, T): of the plan, of the full demand started on
    time, and the regular hours the plan leaves free."""

    required: FloatArray
    unconstrained: FloatArray
    free: FloatArray

    @classmethod
    def of(cls, problem: SupplyProblem, solution: LpSolution) -> Load:
        required = load_hours(problem, solution.production)
        return cls(
            required=required,
            unconstrained=load_hours(problem, problem.demand_by_start),
            free=(problem.available - required).clip(min=0.0),
        )


def resource_load(
    problem: SupplyProblem, solution: LpSolution, load: Load, scenario: str
) -> pd.DataFrame:
    """The rough-cut capacity table of one scenario's plan (empty without capacity data)."""
    if not problem.capacity_known or problem.n_resources == 0:
        return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in RESOURCE_LOAD_COLUMNS})
    required = load.required
    available = problem.available
    with np.errstate(divide="ignore", invalid="ignore"):
        utilization = np.where(available > 0, required / available, np.nan)
    n_res, n_months = required.shape
    return pd.DataFrame(
        {
            "scenario": scenario,
            "resource": np.repeat(problem.resources.astype(str), n_months),
            "month": np.tile(problem.months.to_numpy(), n_res),
            "required_hours": required.ravel(),
            "available_hours": available.ravel(),
            "overtime_hours": solution.overtime.ravel(),
            "utilization": utilization.ravel(),
            "unconstrained_required_hours": load.unconstrained.ravel(),
            "shadow_price": solution.shadow_price.ravel(),
        }
    )


def _dtype(column: str) -> str:
    if column == "month":
        return "datetime64[ns]"
    return "object" if column in ("scenario", "resource") else "float64"
