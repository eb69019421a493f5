"""Why a SKU-month is short: the reason sentence of an 'unmet_demand' exception.

Demand in month t is served by production started in t - lead time. If that is before the
cycle, the lead time is the cause. Otherwise the cause is every resource of the SKU's routing
whose capacity row binds in the start month (positive shadow price = objective saved by one more
hour), highest price first, with the overtime still unused on the dearest one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sop_pipeline.core.supply.model import LpSolution, SupplyProblem

_MIN_PRICE = 1e-6


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
    pairs = pairs[pairs["price"] > _MIN_PRICE]
    return pairs.sort_values(["cell", "price"], ascending=[True, False])


def _capacity_sentences(pairs: pd.DataFrame, when: list[str]) -> pd.Series:
    """One sentence per exception cell naming its binding resources, indexed by cell."""
    pairs = pairs.assign(
        text=[
            f"{n} (shadow price {p:,.2f} per hour)"
            for n, p in zip(pairs["name"], pairs["price"], strict=True)
        ]
    )
    grouped = pairs.groupby("cell", sort=False)
    joined = grouped["text"].agg(" and ".join)
    top = grouped[["name", "overtime_left"]].first()
    sentences = [
        f"{text} {'is' if n == 1 else 'are'} at capacity{when[cell]}"
        + (
            f"; {left:,.0f} overtime hours are left on {name} but cost more than the sale"
            if left > _MIN_PRICE
            else ""
        )
        + "."
        for cell, text, n, left, name in zip(
            joined.index, joined, grouped.size(), top["overtime_left"], top["name"], strict=True
        )
    ]
    return pd.Series(sentences, index=joined.index, dtype=object)


def shortage_causes(
    problem: SupplyProblem, solution: LpSolution, sku: np.ndarray, month: np.ndarray
) -> list[str]:
    """The reason sentence for each short SKU-month (parallel arrays `sku`, `month`)."""
    labels = problem.month_labels
    lead = problem.lead_time[sku]
    start = month - lead
    causes = ["capacity is short." for _ in range(len(sku))]
    for cell in np.flatnonzero(start < 0):
        first = (problem.months[0] + pd.DateOffset(months=int(lead[cell]))).strftime("%Y-%m")
        months = f"{int(lead[cell])} month{'' if lead[cell] == 1 else 's'}"
        causes[cell] = f"production started now arrives from {first} (lead time {months})."
    when = [
        "" if lead[c] == 0 else f" in {labels[start[c]]}, when it must start"
        for c in range(len(sku))
    ]
    sentences = _capacity_sentences(_binding(problem, solution, sku, start), when)
    for position, sentence in zip(sentences.index.to_numpy(dtype=int), sentences, strict=True):
        causes[position] = sentence
    return causes
