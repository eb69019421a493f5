"""Why a SKU-month is short, and what could still be done: the reason sentence of an
'unmet_demand' exception and the options clause shared with 'overload' exceptions.

Demand in month t is served by production started in t - lead time. If that is before the
cycle, the lead time is the cause. Otherwise the cause is every resource of the SKU's routing
whose capacity row binds in the start month (positive shadow price = objective saved by one more
hour), highest price first. The options name the overtime still unused on the dearest one and the
earlier months in which it has free regular hours (pre-build there; the plan left them free
because holding the stock that long, or another full resource, makes it dearer than the sale).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sop_pipeline.core.calendar import add_months, month_key
from sop_pipeline.core.names import SOLVER_TOLERANCE
from sop_pipeline.core.supply.capacity import Load
from sop_pipeline.core.supply.model import LpSolution, SupplyProblem

_MONTHS_LISTED = 3


@dataclass(frozen=True)
class Causes:
    """Per short SKU-month: the sentence, the dearest binding resource (or None) and its price."""

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
    """One row per (exception cell, binding resource), priciest first within a cell."""
    cells = pd.DataFrame({"cell": np.arange(len(sku)), "sku": sku, "start": start})
    routes = pd.DataFrame({"sku": problem.route_sku, "resource": problem.route_resource})
    pairs = cells[cells["start"] >= 0].merge(routes, on="sku")
    r, t = pairs["resource"].to_numpy(dtype=int), pairs["start"].to_numpy(dtype=int)
    pairs["price"] = solution.shadow_price[r, t]
    pairs["overtime_left"] = problem.max_overtime[r, t] - solution.overtime[r, t]
    pairs["name"] = problem.resources.astype(str)[r]
    pairs = pairs[pairs["price"] > SOLVER_TOLERANCE]
    return pairs.sort_values(["cell", "price"], ascending=[True, False])


def _capacity_sentence(problem: SupplyProblem, load: Load, rows: dict[str, list], when: str) -> str:
    """The sentence of one cell from its binding resources (lists, priciest first)."""
    named = " and ".join(
        f"{n} (shadow price {p:,.2f} per hour)"
        for n, p in zip(rows["name"], rows["price"], strict=True)
    )
    left, top = rows["overtime_left"][0], rows["name"][0]
    overtime = (
        f"; {left:,.0f} overtime hours are left on {top} but cost more than the sale"
        if left > SOLVER_TOLERANCE
        else ""
    )
    free = free_months(problem, load, int(rows["resource"][0]), int(rows["start"][0]))
    verb = "is" if len(rows["name"]) == 1 else "are"
    return f"{named} {verb} at capacity{when}{overtime}{free}."


def shortage_causes(
    problem: SupplyProblem, solution: LpSolution, load: Load, sku: np.ndarray, month: np.ndarray
) -> Causes:
    """The causes of each short SKU-month (parallel arrays `sku`, `month`)."""
    labels = problem.month_labels
    lead = problem.lead_time[sku]
    start = month - lead
    causes = Causes(["capacity is short." for _ in sku], [None for _ in sku], np.zeros(len(sku)))
    for cell in np.flatnonzero(start < 0):
        first = month_key(add_months(problem.months[0], int(lead[cell])))
        months = f"{int(lead[cell])} month{'' if lead[cell] == 1 else 's'}"
        causes.sentences[cell] = (
            f"production started now arrives from {first} (lead time {months})."
        )
    pairs = _binding(problem, solution, sku, start)
    # plain lists per cell: thousands of short SKU-months, so no pandas call per cell
    columns = ["name", "price", "overtime_left", "resource", "start"]
    bounds = np.flatnonzero(np.diff(pairs["cell"].to_numpy(), prepend=-1, append=-1))
    values = {c: pairs[c].tolist() for c in columns}
    for first, end in zip(bounds[:-1], bounds[1:], strict=True):
        position = int(pairs["cell"].iat[first])
        rows = {c: values[c][first:end] for c in columns}
        when = "" if lead[position] == 0 else f" in {labels[start[position]]}, when it must start"
        causes.sentences[position] = _capacity_sentence(problem, load, rows, when)
        causes.resource[position] = rows["name"][0]
        causes.shadow_price[position] = rows["price"][0]
    return causes
