"""Checks that a `SupplyProblem` is a valid LP before it is built: every input the LP reads is a
finite number and none that must be non-negative is negative. A failed check raises
`SupplyPlanError` naming the input, the scenario and the first offending SKU or resource-month,
instead of letting HiGHS fail (or silently plan) on NaN or negative data. Routing hours and on
hand are settled where `prepare` reads them (an error, and zero with a warning).
"""

from __future__ import annotations

import numpy as np

from sop_pipeline.core.supply.model import FloatArray, SupplyPlanError, SupplyProblem


def _first_bad(values: FloatArray, labels: np.ndarray, month_labels: list[str]) -> str | None:
    """A description of the NaN/infinite/negative cells of `values`, or None when all are fine."""
    bad = ~np.isfinite(values) | (values < 0)
    if not bad.any():
        return None
    position = np.unravel_index(int(np.flatnonzero(bad.ravel())[0]), values.shape)
    where = str(labels[position[0]])
    if values.ndim == 2:
        where += f" {month_labels[position[1]]}"
    count = int(bad.sum())
    return (
        f"{count} {'value is' if count == 1 else 'values are'} NaN, infinite or negative "
        f"(first: {where} = {values[position]:g})"
    )


def check_problem(problem: SupplyProblem, scenario: str) -> None:
    """Raise `SupplyPlanError` if an LP input of `problem` is NaN, infinite or negative."""
    skus, resources, months = problem.skus, problem.resources, problem.month_labels
    checks = {
        "demand (sku x month)": (problem.demand, skus),
        "open order quantity (sku x month)": (problem.backlog, skus),
        "available_hours (resource x month)": (problem.available, resources),
        "max_overtime_hours (resource x month)": (problem.max_overtime, resources),
        "overtime_cost_per_hour (resource x month)": (problem.overtime_cost, resources),
    }
    problems = [
        f"{name}: {found}"
        for name, (values, labels) in checks.items()
        if (found := _first_bad(np.asarray(values, dtype=float), labels, months))
    ]
    if problems:
        raise SupplyPlanError(
            f"invalid supply plan input in scenario {scenario!r}: " + "; ".join(problems)
        )
