"""Frozen-zone conflicts: SKUs that lose sales because the previous firm MPS pins them.

A `frozen_zone_conflict` exception (one per scenario and SKU; month = the first frozen month
whose pin binds) is raised for every SKU with unmet demand whose cause is the freeze. What
unfreezing would save is measured by solving the plan again without that SKU's pins (up to
`MAX_RESOLVES` SKUs per scenario, those losing the most units first): the units and margin
recovered over the whole plan (other SKUs may lose what this one gains, so it is the net
figure) and the plan cost saved. Beyond that number the message gives the pins' duals (what
one more unit started in each frozen month would save) instead, so the meeting can decide.
`quantity` = the units this SKU loses in the months the freeze binds.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np
import pandas as pd

from sop_pipeline.core.names import SOLVER_TOLERANCE
from sop_pipeline.core.supply.model import LpSolution, SupplyProblem
from sop_pipeline.core.supply.wording import amount

MAX_RESOLVES = 20
Resolve = Callable[[SupplyProblem], LpSolution]


def _lost(problem: SupplyProblem, solution: LpSolution) -> np.ndarray:
    """Units never served per SKU: forecast lost plus backorders still owed at the end."""
    return np.asarray(solution.unmet.sum(axis=1) + solution.backorder[:, -1])


def _saving(problem: SupplyProblem, solution: LpSolution, sku: int, resolve: Resolve) -> str:
    pinned = problem.pinned_production.copy()
    pinned[sku] = np.nan
    free = resolve(dataclasses.replace(problem, pinned_production=pinned))
    recovered = _lost(problem, solution) - _lost(problem, free)
    margin = float(np.nan_to_num(problem.unit_price - problem.unit_cost, nan=0.0) @ recovered)
    saved = solution.objective - free.objective
    return (
        f"unfreezing its firm months would recover {amount(float(recovered.sum()))} units "
        f"(margin {margin:,.0f}) and save {saved:,.0f} of plan cost."
    )


def _pin_values(problem: SupplyProblem, solution: LpSolution, sku: int) -> str:
    months = np.flatnonzero(~np.isnan(problem.pinned_production[sku]))
    listed = ", ".join(
        f"{problem.month_labels[t]} {solution.production_value[sku, t]:,.2f}"
        for t in months
        if solution.production_value[sku, t] > SOLVER_TOLERANCE
    )
    return f"one more unit started would save (per frozen month) {listed}."


def frozen_zone_conflicts(
    problem: SupplyProblem, solution: LpSolution, unmet: pd.DataFrame, resolve: Resolve
) -> pd.DataFrame:
    """One row per SKU whose unmet demand is caused by the freeze (columns of `exceptions`)."""
    frozen = unmet[unmet["cause"] == "frozen_zone"]
    if frozen.empty:
        return frozen.iloc[:0]
    per_sku = frozen.groupby("sku").agg(quantity=("quantity", "sum"), first=("month", "min"))
    per_sku = per_sku.sort_values(["quantity"], ascending=False, kind="stable")
    index = pd.Index(problem.skus.astype(str))
    labels = problem.month_labels
    rows = []
    for rank, (sku, row) in enumerate(per_sku.iterrows()):
        s = int(index.get_loc(sku))
        pins = np.flatnonzero(~np.isnan(problem.pinned_production[s]))
        pinned = ", ".join(
            f"{labels[t]} at {amount(problem.pinned_production[s, t])}" for t in pins
        )
        option = (
            _saving(problem, solution, s, resolve)
            if rank < MAX_RESOLVES
            else _pin_values(problem, solution, s)
        )
        first_pin = next(t for t in pins if solution.production_value[s, t] > SOLVER_TOLERANCE)
        rows.append(
            {
                "kind": "frozen_zone_conflict",
                "sku": sku,
                "resource": None,
                "month": problem.months[first_pin],
                "quantity": float(row["quantity"]),
                "message": f"{sku} loses {amount(float(row['quantity']))} units because the "
                f"previous firm MPS pins its production ({pinned}); {option}",
                "shadow_price": float(solution.production_value[s, first_pin]),
                "cause": "frozen_zone",
            }
        )
    return pd.DataFrame(rows)
