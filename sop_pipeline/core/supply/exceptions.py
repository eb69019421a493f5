"""The supply review's exception list: one row per problem a planner has to look at.

Kinds: 'unmet_demand' (SKU-month, quantity = forecast units lost plus backlog units carried
unshipped; `cause` names the binding constraint found by `causes` and the message explains it:
the resources binding the start month with what an extra hour is worth, the freeze, the lead
time; `resource` and `shadow_price` hold the dearest binding resource),
'frozen_zone_conflict' (SKU, first frozen month whose pin binds; `frozen`),
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
from sop_pipeline.core.supply.frozen import Resolve, frozen_zone_conflicts
from sop_pipeline.core.supply.model import FloatArray, LpSolution, SupplyProblem
from sop_pipeline.core.supply.wording import amount
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
    cause: object = None,
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
            "cause": cause,
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
        f"{problem.skus[s]} misses {amount(q)} units in {labels[t]}: {cause}"
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
        causes.shadow_price,
        causes.cause,
    )


def _below_safety_stock(
    problem: SupplyProblem, solution: LpSolution, safety_stock: FloatArray
) -> pd.DataFrame:
    sku, month = np.nonzero(solution.shortfall > SOLVER_TOLERANCE)
    short = solution.shortfall[sku, month]
    labels = problem.month_labels
    message = [
        f"{problem.skus[s]} ends {labels[t]} with {amount(stock)} units, {amount(q)} below its "
        f"safety stock of {amount(target)}."
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
        f"{problem.skus[s]} ends {labels[t]} with {amount(stock)} units, {amount(q)} above its "
        f"maximum cover of {problem.max_cover[s]:g} months ({amount(cap)} units)."
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
        f"{problem.resources[r]} would need {amount(needed[r, t])} hours in {labels[t]} for the "
        f"full demand but has {amount(problem.available[r, t])} hours plus "
        f"{amount(problem.max_overtime[r, t])} overtime: {amount(needed[r, t] - limit[r, t])} "
        "hours short"
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
    resolve: Resolve | None = None,
) -> pd.DataFrame:
    """All exceptions of one scenario's plan, in the order of the kinds above; `resolve`
    solves a variant of `problem` (to price frozen-zone conflicts; none without it)."""
    unmet = _unmet(problem, solution, load, frozen_months)
    parts = [
        unmet,
        frozen_zone_conflicts(problem, solution, unmet, resolve) if resolve else unmet.iloc[:0],
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
    found["cause"] = found["cause"].astype(object)
    return found[EXCEPTION_COLUMNS]
