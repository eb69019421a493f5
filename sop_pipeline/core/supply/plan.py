"""The supply review: solve the supply LP for the baseline and each scenario, tabulate the plans.

`supply_plan` has one row per scenario x sku x month: demand (what is owed in the month:
scenario-adjusted forecast, backlog due, and backorders carried in from the month before),
production (started in the month, in whole units or lot multiples, `lots.py`; it arrives
lead_time_months later), ending_inventory,
safety_stock (target), unmet_demand (forecast demand lost plus backorders carried out, so that
ending = opening + arrivals - (demand - unmet_demand) holds as in docs/supply.md), backlog (open
orders due in the month, overdue ones in the first), backorder (open-order units still
unshipped at the month end, owed in the next month), opening_inventory (the stock the month
starts with: on hand in the first month, the previous ending after) and receipts (scheduled
receipts arriving in the month: open production orders and work in progress, `receipts.py`).
Every row reads opening_inventory + receipts + production arriving (started lead time months
earlier) - shipments (demand - unmet_demand) = ending_inventory.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from sop_pipeline.core.supply.capacity import RESOURCE_LOAD_COLUMNS, Load, resource_load
from sop_pipeline.core.supply.costs import CostSettings, UnitCosts, unit_costs
from sop_pipeline.core.supply.exceptions import EXCEPTION_COLUMNS, find_exceptions
from sop_pipeline.core.supply.lots import solve_in_lots
from sop_pipeline.core.supply.model import (
    FloatArray,
    LpSolution,
    SupplyInputs,
    SupplyProblem,
    SupplyReview,
)
from sop_pipeline.core.supply.prepare import build_problem
from sop_pipeline.core.supply.safety_stock import maximum_inventory, safety_stock_targets
from sop_pipeline.core.supply.scenarios import apply_scenario, scenario_names
from sop_pipeline.core.supply.validation import check_problem
from sop_pipeline.core.tables import row_columns

logger = logging.getLogger(__name__)

SUPPLY_PLAN_COLUMNS = row_columns("supply_plan")


def supply_plan_frame(
    problem: SupplyProblem, solution: LpSolution, safety_stock: FloatArray, scenario: str
) -> pd.DataFrame:
    """One scenario's plan as rows of sku x month."""
    n_skus, n_months = problem.n_skus, problem.n_months
    carried_in = np.zeros_like(solution.backorder)
    carried_in[:, 1:] = solution.backorder[:, :-1]
    opening = np.empty_like(solution.inventory)
    opening[:, 0] = problem.on_hand
    opening[:, 1:] = solution.inventory[:, :-1]
    return pd.DataFrame(
        {
            "scenario": pd.Series(scenario, index=range(n_skus * n_months), dtype=object),
            "sku": np.repeat(problem.skus.astype(str), n_months),
            "month": np.tile(problem.months.to_numpy(), n_skus),
            "demand": (problem.total_demand + carried_in).ravel(),
            "production": solution.production.ravel(),
            "ending_inventory": solution.inventory.ravel(),
            "safety_stock": safety_stock.ravel(),
            "unmet_demand": (solution.unmet + solution.backorder).ravel(),
            "backlog": problem.backlog.ravel(),
            "backorder": solution.backorder.ravel(),
            "opening_inventory": opening.ravel(),
            "receipts": problem.receipts.ravel(),
        }
    )


def _solve_scenario(
    problem: SupplyProblem,
    name: str,
    settings: CostSettings,
    costs: UnitCosts,
    frozen_months: int,
    solver: str,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    check_problem(problem, name)
    safety_stock = safety_stock_targets(problem, settings.default_service_level, frozen_months)
    solution = solve_in_lots(problem, costs, safety_stock, solver)
    logger.info(
        "scenario %s: objective %.2f in whole lots (LP %.2f), unmet %.1f units",
        name,
        solution.objective,
        solution.relaxed_objective,
        float(solution.unmet.sum()),
    )
    load = Load.of(problem, solution)
    exceptions = find_exceptions(
        problem,
        solution,
        load,
        safety_stock,
        maximum_inventory(problem),
        name,
        frozen_months,
        # a variant differs from the plan in a few bounds: it starts from the plan's basis
        resolve=lambda variant: solve_in_lots(
            variant, costs, safety_stock, solver, start=solution.basis
        ),
    )
    return (
        supply_plan_frame(problem, solution, safety_stock, name),
        resource_load(problem, solution, load, name),
        exceptions,
    )


def _concat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    filled = [f for f in frames if len(f)]
    return pd.concat(filled, ignore_index=True)[columns] if filled else frames[0][columns]


def plan_supply(
    inputs: SupplyInputs,
    cycle: pd.Timestamp,
    horizon: int = 18,
    frozen_months: int = 3,
    settings: CostSettings | None = None,
    solver: str = "simplex",
) -> SupplyReview:
    """The supply review of `cycle`: plan, resource load and exceptions for every scenario.

    `frozen_months` marks exceptions inside the frozen zone, and production in the months the
    previous cycle's frozen zone still covers is pinned to `inputs.previous_mps` (every scenario
    keeps the firm MPS). Production is in whole units or the items' lot multiples (`lots`).
    Raises `SupplyPlanError` when an input is NaN or negative, or HiGHS
    finds no optimum.
    """
    settings = settings or CostSettings()
    baseline = build_problem(inputs, cycle, horizon, frozen_months)
    # scenarios scale demand and hours only, so the per-SKU costs are the baseline's
    costs = unit_costs(baseline, settings)
    results = [
        _solve_scenario(
            apply_scenario(baseline, inputs.scenarios, name),
            name,
            settings,
            costs,
            frozen_months,
            solver,
        )
        for name in scenario_names(inputs.scenarios)
    ]
    return SupplyReview(
        supply_plan=_concat([r[0] for r in results], SUPPLY_PLAN_COLUMNS),
        resource_load=_concat([r[1] for r in results], RESOURCE_LOAD_COLUMNS),
        exceptions=_concat([r[2] for r in results], EXCEPTION_COLUMNS),
    )
