"""What-if scenarios: scaled copies of the baseline `SupplyProblem`.

One scenario is all rows of `scenarios` with the same name; their multipliers combine by
product. Kind 'demand' scales the planned demand and its forecast error (not the backlog:
open orders are firm) of the SKUs whose family equals `scope` ('*' = all SKUs); kind 'capacity'
scales the available hours (not the overtime) of the resource named `scope` ('*' = all
resources). Rows named 'baseline' are ignored: the baseline is always the unchanged plan.
"""

from __future__ import annotations

import dataclasses
import logging

import numpy as np
import pandas as pd

from sop_pipeline.core.names import BASELINE
from sop_pipeline.core.supply.model import FloatArray, SupplyProblem

logger = logging.getLogger(__name__)


def scenario_names(scenarios: pd.DataFrame | None) -> list[str]:
    """'baseline' followed by the scenario names of `scenarios` in first-seen order."""
    if scenarios is None or scenarios.empty:
        return [BASELINE]
    names = [str(n) for n in pd.unique(scenarios["scenario"].astype(str))]
    if BASELINE in names:
        logger.warning("scenario rows named 'baseline' are ignored")
    return [BASELINE, *[n for n in names if n != BASELINE]]


def _multipliers(rows: pd.DataFrame, kind: str, labels: np.ndarray) -> FloatArray:
    """Product of the multipliers of `kind` rows that apply to each label ('*' applies to all)."""
    factor = np.ones(len(labels))
    for scope, multiplier in rows.loc[rows["kind"] == kind, ["scope", "multiplier"]].itertuples(
        index=False
    ):
        scope_text = "*" if pd.isna(scope) else str(scope)
        hits = np.ones(len(labels), dtype=bool) if scope_text == "*" else labels == scope_text
        if not hits.any():
            logger.warning("%s scenario scope %r matches nothing", kind, scope_text)
        factor[hits] *= float(multiplier)
    return factor


def apply_scenario(
    problem: SupplyProblem, scenarios: pd.DataFrame | None, name: str
) -> SupplyProblem:
    """`problem` with the multipliers of scenario `name` applied (the baseline is unchanged)."""
    if name == BASELINE or scenarios is None:
        return problem
    rows = scenarios[scenarios["scenario"].astype(str) == name]
    demand_factor = _multipliers(rows, "demand", problem.families.astype(str))
    capacity_factor = _multipliers(rows, "capacity", problem.resources.astype(str))
    return dataclasses.replace(
        problem,
        demand=problem.demand * demand_factor[:, None],
        sigma=problem.sigma * demand_factor[:, None],
        available=problem.available * capacity_factor[:, None],
    )
