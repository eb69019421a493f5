"""Why a SKU-month is short: the constraint of the LP that binds, read off its duals and bounds.

Demand due in month t is served by production started in t - lead time (its start month). The
cause of a short SKU-month is the first of these that holds:

- `lead_time`: the start month is before the cycle, so nothing started now arrives in time
  (scheduled receipts, already counted, did not cover it);
- `frozen_zone`: the previous cycle's firm MPS pins production in the start month and one more
  unit there would save money (the pin's dual, `LpSolution.production_value`, is positive);
- `zero_capacity`: a resource of the SKU's routing has no hours (and no overtime) that month;
- `overtime_exhausted`: the dearest binding resource (positive shadow price) has used all of
  its overtime;
- `capacity`: the dearest binding resource still has overtime, which costs more per unit than
  the sale is worth (its shadow price is the overtime rate);
- `lot_size`: none of the above, and the LP before rounding to whole lots (`lots`) was short
  by less here: the shortage is the rounding's;
- `no_binding_constraint`: none of the above within solver tolerance (an LP optimum cannot
  lose a sale without one; reported, never dressed up as a capacity shortage).

The options clause names the earlier months in which the dearest resource had free regular
hours (where the plan could have pre-built; it did not because holding the stock that long, or
another full resource, costs more than the sale).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sop_pipeline.core.calendar import add_months, month_key
from sop_pipeline.core.names import SOLVER_TOLERANCE
from sop_pipeline.core.supply.capacity import Load
from sop_pipeline.core.supply.model import LpSolution, SupplyProblem
from sop_pipeline.core.supply.wording import amount, months_text

_MONTHS_LISTED = 3


@dataclass(frozen=True)
class Causes:
    """Per short SKU-month: the cause label, its sentence, the dearest binding resource (or
    None) and its shadow price."""

    cause: list[str]
    sentences: list[str]
    resource: list[str | None]
    shadow_price: np.ndarray


def free_months(problem: SupplyProblem, load: Load, resource: int, before: int) -> str:
    """'; R has free hours in 2026-01 (12), ...' for the months before `before`, or ''."""
    free = load.free[resource, :before]
    months = np.flatnonzero(free > SOLVER_TOLERANCE)[:_MONTHS_LISTED]
    if not len(months):
        return ""
    labels = problem.month_labels
    listed = ", ".join(f"{labels[t]} ({free[t]:,.0f})" for t in months)
    return f"; {problem.resources[resource]} has free hours in {listed}"


def _binding(
    problem: SupplyProblem, solution: LpSolution, sku: np.ndarray, start: np.ndarray
) -> pd.DataFrame:
    """One row per (cell, resource of its routing) in the start month, priciest first."""
    cells = pd.DataFrame({"cell": np.arange(len(sku)), "sku": sku, "start": start})
    routes = pd.DataFrame({"sku": problem.route_sku, "resource": problem.route_resource})
    pairs = cells[cells["start"] >= 0].merge(routes, on="sku")
    r, t = pairs["resource"].to_numpy(dtype=int), pairs["start"].to_numpy(dtype=int)
    pairs["price"] = solution.shadow_price[r, t]
    pairs["overtime_left"] = problem.max_overtime[r, t] - solution.overtime[r, t]
    pairs["overtime_used"] = solution.overtime[r, t]
    pairs["zero"] = problem.available[r, t] + problem.max_overtime[r, t] <= SOLVER_TOLERANCE
    pairs["name"] = problem.resources.astype(str)[r]
    pairs = pairs[(pairs["price"] > SOLVER_TOLERANCE) | pairs["zero"]]
    return pairs.sort_values(["cell", "zero", "price"], ascending=[True, False, False])


def _lead_time_sentence(problem: SupplyProblem, sku: int, month: int) -> str:
    lead = int(problem.lead_time[sku])
    first = month_key(add_months(problem.months[0], lead))
    due = float(problem.receipts[sku, : month + 1].sum())
    receipts = f"; the {amount(due)} units of scheduled receipts due by then are counted" * (
        due > SOLVER_TOLERANCE
    )
    return (
        f"it is inside the lead time: production started now arrives from {first} "
        f"(lead time {months_text(lead)}){receipts}."
    )


def _frozen_sentence(problem: SupplyProblem, solution: LpSolution, sku: int, start: int) -> str:
    pinned = float(problem.pinned_production[sku, start])
    value = float(solution.production_value[sku, start])
    return (
        f"the frozen zone pins production started in {problem.month_labels[start]} at "
        f"{amount(pinned)} units (previous firm MPS); one more unit there would save "
        f"{value:,.2f}."
    )


def _resource_sentence(problem: SupplyProblem, load: Load, rows: dict, when: str) -> tuple:
    """(cause, sentence) of a cell from its binding resources (lists, dearest first)."""
    top, start = rows["name"][0], int(rows["start"][0])
    free = free_months(problem, load, int(rows["resource"][0]), start)
    if rows["zero"][0]:
        return "zero_capacity", f"{top} has no hours{when} (zero capacity){free}."
    named = " and ".join(
        f"{n} (an extra hour is worth {p:,.2f})"
        for n, p in zip(rows["name"], rows["price"], strict=True)
    )
    worth = f"{named} {'is' if len(rows['name']) == 1 else 'are'} at capacity{when}"
    if rows["overtime_left"][0] > SOLVER_TOLERANCE:
        left = amount(rows["overtime_left"][0])
        return (
            "capacity",
            f"{worth}; {left} overtime hours are left on {top} but cost more than the sale{free}.",
        )
    if rows["overtime_used"][0] > SOLVER_TOLERANCE:
        used = amount(rows["overtime_used"][0])
        return "overtime_exhausted", f"{worth}; all {used} overtime hours of {top} are used{free}."
    return "capacity", f"{worth}; {top} has no overtime{free}."


def _before_resources(
    problem: SupplyProblem,
    solution: LpSolution,
    causes: Causes,
    sku: np.ndarray,
    month: np.ndarray,
) -> np.ndarray:
    """Set the lead-time and frozen-zone causes, which come before any resource; the cells
    they decide."""
    start = month - problem.lead_time[sku]
    inside_lead_time = start < 0
    safe_start = start.clip(min=0)
    frozen = (
        ~inside_lead_time
        & ~np.isnan(problem.pinned_production[sku, safe_start])
        & (solution.production_value[sku, safe_start] > SOLVER_TOLERANCE)
    )
    for cell in np.flatnonzero(inside_lead_time):
        causes.cause[cell] = "lead_time"
        causes.sentences[cell] = _lead_time_sentence(problem, int(sku[cell]), int(month[cell]))
    for cell in np.flatnonzero(frozen):
        causes.cause[cell] = "frozen_zone"
        causes.sentences[cell] = _frozen_sentence(
            problem, solution, int(sku[cell]), int(start[cell])
        )
    return np.asarray(inside_lead_time | frozen)


def _lot_sentence(problem: SupplyProblem, sku: int, relaxed: float) -> str:
    lot = float(problem.lot_size[sku]) or 1.0
    minimum = float(problem.min_lot[sku])
    rule = "whole units" if lot == 1.0 else f"whole lots of {amount(lot)} units"
    rule += f" (at least {amount(minimum)})" * (minimum > lot)
    before = f"{amount(relaxed)} units" if relaxed > SOLVER_TOLERANCE else "nothing"
    return (
        f"production is started in {rule}, and the plan rounded to them is short here where "
        f"the fractional plan lost {before}."
    )


def _rounding_short(
    problem: SupplyProblem, solution: LpSolution, causes: Causes, sku: np.ndarray, month: np.ndarray
) -> None:
    """Set `lot_size` on the cells no constraint explains that the rounding made short."""
    if solution.relaxed_short is None:
        return
    short = solution.unmet[sku, month] + solution.backorder[sku, month]
    relaxed = solution.relaxed_short[sku, month]
    for cell in np.flatnonzero(short > relaxed + SOLVER_TOLERANCE):
        if causes.cause[cell] == "no_binding_constraint":
            causes.cause[cell] = "lot_size"
            causes.sentences[cell] = _lot_sentence(problem, int(sku[cell]), float(relaxed[cell]))


def shortage_causes(
    problem: SupplyProblem, solution: LpSolution, load: Load, sku: np.ndarray, month: np.ndarray
) -> Causes:
    """The causes of each short SKU-month (parallel arrays `sku`, `month`)."""
    labels = problem.month_labels
    start = month - problem.lead_time[sku]
    n = len(sku)
    causes = Causes(
        ["no_binding_constraint"] * n,
        ["no constraint of the plan binds within solver tolerance."] * n,
        [None] * n,
        np.full(n, np.nan),
    )
    decided = _before_resources(problem, solution, causes, sku, month)
    pairs = _binding(problem, solution, sku, start)
    # plain lists per cell: thousands of short SKU-months, so no pandas call per cell
    columns = ["name", "price", "overtime_left", "overtime_used", "zero", "resource", "start"]
    bounds = np.flatnonzero(np.diff(pairs["cell"].to_numpy(), prepend=-1, append=-1))
    values = {c: pairs[c].tolist() for c in columns}
    for first, end in zip(bounds[:-1], bounds[1:], strict=True):
        cell = int(pairs["cell"].iat[first])
        if decided[cell]:
            continue
        rows = {c: values[c][first:end] for c in columns}
        when = (
            "" if start[cell] == month[cell] else f" in {labels[start[cell]]}, when it must start"
        )
        causes.cause[cell], causes.sentences[cell] = _resource_sentence(problem, load, rows, when)
        causes.resource[cell] = rows["name"][0]
        causes.shadow_price[cell] = rows["price"][0]
    _rounding_short(problem, solution, causes, sku, month)
    return causes
