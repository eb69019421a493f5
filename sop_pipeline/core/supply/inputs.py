"""What the supply review reads: the cycle's demand, item master, stock and capacity, open
production orders, the previous cycle's released MPS, whose firm rows pin production in the
months still frozen, the previous cycle's supply plan, whose production already started is
work in progress (`receipts`), and the scored forecasts of the last `SIGMA_WINDOW_MONTHS`
cycles, whose lag-1 errors size safety stock where a SKU has enough of them (`sigma`).

The firm MPS pinned is the one the executive S&OP released for the previous cycle
(`released_mps`, written by `sop approve`). A previous cycle never approved pins its proposed
baseline MPS, rebuilt from its supply plan (`mps` is exactly `build_mps(supply_plan, cycle,
frozen_months)`) rather than read from the `mps` table: `mps` is downstream of the supply plan,
and a dependency on it would close a cycle in the asset graph.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pandas as pd

from sop_pipeline.core import calendar
from sop_pipeline.core.implementation.mps import build_mps
from sop_pipeline.core.inputs import cycles_back, previous_cycle, this_cycle
from sop_pipeline.core.names import BASELINE
from sop_pipeline.core.supply.handoff import demand_by_sku, forecast_error_sigma
from sop_pipeline.core.supply.model import SupplyInputs, SupplyReview
from sop_pipeline.core.supply.plan import plan_supply
from sop_pipeline.core.supply.receipts import scheduled_receipts
from sop_pipeline.core.supply.sigma import SIGMA_WINDOW_MONTHS, demand_error, realised_sigma

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SupplyReviewInputs:
    """The tables the supply review reads (grains as in the warehouse contract)."""

    demand_plan: pd.DataFrame = this_cycle("demand_plan")
    statistical_forecast: pd.DataFrame = this_cycle("statistical_forecast")
    items: pd.DataFrame = this_cycle("items")
    inventory: pd.DataFrame = this_cycle("inventory")
    forecast_accuracy: pd.DataFrame = cycles_back("forecast_accuracy", 0, SIGMA_WINDOW_MONTHS - 1)
    resources: pd.DataFrame | None = this_cycle("resources", optional=True)
    routings: pd.DataFrame | None = this_cycle("routings", optional=True)
    inventory_policy: pd.DataFrame | None = this_cycle("inventory_policy", optional=True)
    open_orders: pd.DataFrame | None = this_cycle("open_orders", optional=True)
    scenarios: pd.DataFrame | None = this_cycle("scenarios", optional=True)
    production_orders: pd.DataFrame | None = this_cycle("production_orders", optional=True)
    previous_supply_plan: pd.DataFrame | None = previous_cycle("supply_plan")
    previous_released_mps: pd.DataFrame | None = previous_cycle("released_mps")


def supply_inputs(
    tables: SupplyReviewInputs, cycle: pd.Timestamp, frozen_months: int
) -> SupplyInputs:
    """The supply problem's inputs: demand per SKU, its uncertainty, the previous firm MPS and
    the scheduled receipts."""
    previous = tables.previous_supply_plan
    previous_mps = pinned_mps(previous, tables.previous_released_mps, cycle, frozen_months)
    realised = realised_sigma(tables.forecast_accuracy)
    logger.info("safety stock on realised lag-1 errors for %d SKUs", len(realised))
    return SupplyInputs(
        demand=demand_by_sku(tables.demand_plan),
        demand_error=demand_error(forecast_error_sigma(tables.statistical_forecast), realised),
        items=tables.items,
        inventory=tables.inventory,
        resources=tables.resources,
        routings=tables.routings,
        inventory_policy=tables.inventory_policy,
        open_orders=tables.open_orders,
        scenarios=tables.scenarios,
        previous_mps=previous_mps,
        receipts=scheduled_receipts(
            tables.production_orders,
            released_plan(previous, tables.previous_released_mps),
            tables.items,
            cycle,
        ),
    )


def pinned_mps(
    previous_supply_plan: pd.DataFrame | None,
    previous_released_mps: pd.DataFrame | None,
    cycle: pd.Timestamp,
    frozen_months: int,
) -> pd.DataFrame | None:
    """The previous cycle's MPS the frozen zone pins: the released one when the previous cycle
    was approved, else its proposed baseline MPS, else None (the first cycle)."""
    if previous_released_mps is not None and len(previous_released_mps):
        return previous_released_mps[["sku", "month", "quantity", "firm"]]
    if previous_supply_plan is None:
        return None
    return build_mps(previous_supply_plan, calendar.previous_cycle(cycle), frozen_months)


def released_plan(
    previous_supply_plan: pd.DataFrame | None, previous_released_mps: pd.DataFrame | None
) -> pd.DataFrame | None:
    """The previous supply plan as its work in progress is read: the released scenario's rows
    in the baseline's place when another scenario was approved (that is the plan ERP got)."""
    if previous_supply_plan is None or previous_released_mps is None:
        return previous_supply_plan
    if not len(previous_released_mps):
        return previous_supply_plan
    scenario = str(previous_released_mps["scenario"].iloc[0])
    chosen = previous_supply_plan[previous_supply_plan["scenario"].astype(str) == scenario]
    return chosen.assign(scenario=BASELINE)


def review_supply(
    tables: SupplyReviewInputs, cycle: pd.Timestamp, horizon: int, frozen_months: int
) -> SupplyReview:
    """The cycle's supply plan, resource load and exceptions, every scenario."""
    inputs = supply_inputs(tables, cycle, frozen_months)
    return plan_supply(inputs, cycle, horizon=horizon, frozen_months=frozen_months)
