"""The supply review's exception list: one row per problem a planner has to look at.

Kinds: 'unmet_demand' (SKU-month, quantity = forecast units lost plus backlog units carried
unshipped; the message names the resources binding the start month of that production with
their shadow price and the options left, `resource` and `shadow_price` hold the dearest one),
'below_safety_stock' (quantity = units short of the target), 'overload' (resource-month, in the
month production must start, whose unconstrained load exceeds available plus overtime hours;
quantity = hours short; the message names the earlier months with free hours), and
'excess_inventory' (stock above max cover; quantity = units above). Quantities below
`SOLVER_TOLERANCE` are solver noise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sop_pipeline.core.names import SOLVER_TOLERANCE
from sop_pipeline.core.supply.capacity import Load
from sop_pipeline.core.supply.causes import free_months, shortage_causes
from sop_pipeline.core.supply.model import FloatArray, LpSolution, SupplyProblem
from sop_pipeline.core.tables import row_columns

EXCEPTION_COLUMNS = row_columns("exceptions")


def _frame(
    kind: str,
    sku: object,
    resource: object,
    month: object,
    quantity: FloatArray,
    message: list[str],
    shadow_price: object = np.nan,
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kind": kind,
            "sku": sku,
            "resource": resource,
            "month": month,
            "quantity": quantity,
            "message": message,
            "shadow_price": shadow_price,
        }
    )


def _unmet(
    problem: SupplyProblem, solution: LpSolution, load: Load, frozen_months: int
) -> pd.DataFrame:
    short = solution.unmet + solution.backorder
    sku, month = np.nonzero(short > SOLVER_TOLERANCE)
    quantity = short[sku, month]
    labels = problem.month_labels
    causes = shortage_causes(problem, solution, load, sku, month)
    frozen = f" This is inside the {frozen_months}-month frozen zone."
    message = [
        f"{problem.skus[s]} misses {q:,.0f} units in {labels[t]}: {cause}"
        + (frozen if t < frozen_months else "")
        for s, t, q, cause in zip(sku, month, quantity, causes.sentences, strict=True)
    ]
    return _frame(
        "unmet_demand",
        problem.skus[sku],
        causes.resource,
        problem.months[month],
        quantity,
        message,
        np.where([r is None for r in causes.resource], np.nan, causes.shadow_price),
    )


def _below_safety_stock(
    problem: SupplyProblem, solution: LpSolution, safety_stock: FloatArray
) -> pd.DataFrame:
    sku, month = np.nonzero(solution.shortfall > SOLVER_TOLERANCE)
    short = solution.shortfall[sku, month]
    labels = problem.month_labels
    message = [
        f"{problem.skus[s]} ends {labels[t]} with {stock:,.0f} units, {q:,.0f} below its "
        f"safety stock of {target:,.0f}."
        for s, t, q, stock, target in zip(
            sku, month, short, solution.inventory[sku, month], safety_stock[sku, month], strict=True
        )
    ]
    return _frame(
        "below_safety_stock", problem.skus[sku], None, problem.months[month], short, message
    )


def _excess_inventory(
    problem: SupplyProblem, solution: LpSolution, max_inventory: FloatArray
) -> pd.DataFrame:
    excess = solution.inventory - max_inventory
    sku, month = np.nonzero(excess > SOLVER_TOLERANCE)
    labels = problem.month_labels
    message = [
        f"{problem.skus[s]} ends {labels[t]} with {stock:,.0f} units, {q:,.0f} above its maximum "
        f"cover of {problem.max_cover[s]:g} months ({cap:,.0f} units)."
        for s, t, q, stock, cap in zip(
            sku,
            month,
            excess[sku, month],
            solution.inventory[sku, month],
            max_inventory[sku, month],
            strict=True,
        )
    ]
    return _frame(
        "excess_inventory",
        problem.skus[sku],
        None,
        problem.months[month],
        excess[sku, month],
        message,
    )


def _overload(problem: SupplyProblem, solution: LpSolution, load: Load) -> pd.DataFrame:
    needed = load.unconstrained
    limit = problem.available + problem.max_overtime
    resource, month = np.nonzero(needed - limit > SOLVER_TOLERANCE)
    labels = problem.month_labels
    message = [
        f"{problem.resources[r]} would need {needed[r, t]:,.0f} hours in {labels[t]} for the "
        f"full demand but has {problem.available[r, t]:,.0f} hours plus "
        f"{problem.max_overtime[r, t]:,.0f} overtime: {needed[r, t] - limit[r, t]:,.0f} hours "
        "short"
        + (free_months(problem, load, int(r), int(t)) or "; the plan uses every hour before it")
        + "."
        for r, t in zip(resource, month, strict=True)
    ]
    return _frame(
        "overload",
        None,
        problem.resources[resource],
        problem.months[month],
        needed[resource, month] - limit[resource, month],
        message,
        solution.shadow_price[resource, month],
    )


def find_exceptions(
    problem: SupplyProblem,
    solution: LpSolution,
    load: Load,
    safety_stock: FloatArray,
    max_inventory: FloatArray,
    scenario: str,
    frozen_months: int,
) -> pd.DataFrame:
    """All exceptions of one scenario's plan, in the order of the kinds above."""
    parts = [
        _unmet(problem, solution, load, frozen_months),
        _below_safety_stock(problem, solution, safety_stock),
        _overload(problem, solution, load),
        _excess_inventory(problem, solution, max_inventory),
    ]
    found = (
        pd.concat([p for p in parts if len(p)], ignore_index=True)
        if any(len(p) for p in parts)
        else parts[0]
    )
    found.insert(0, "scenario", scenario)
    found["month"] = pd.to_datetime(found["month"])
    found["quantity"] = found["quantity"].astype(float)
    found["shadow_price"] = found["shadow_price"].astype(float)
    return found[EXCEPTION_COLUMNS]
