"""What the demand review reads, one declaration per step, and the entry of each step.

The accuracy step reads the forecasts and plans the cycles 1 to max(LAGS) back made (the cycles
whose forecasts of last month are scored now); the value-added step reads its own earlier rows
for the tracking signals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from sop_pipeline.core.demand.accuracy import LAGS, scored_forecasts
from sop_pipeline.core.demand.plan import DemandPlan, plan_demand
from sop_pipeline.core.demand.value_added import forecast_value_added
from sop_pipeline.core.inputs import HISTORY_CYCLES, cycles_back, this_cycle

if TYPE_CHECKING:
    from sop_pipeline.core.demand.forecast import DemandForecast


@dataclass(frozen=True)
class ForecastInputs:
    """What the statistical forecast is made from: shipped history and the item master."""

    sales_actuals: pd.DataFrame = this_cycle("sales_actuals")
    items: pd.DataFrame = this_cycle("items")


def forecast_cycle(
    inputs: ForecastInputs,
    cycle: pd.Timestamp,
    horizon: int,
    season_length: int = 12,
    on_progress: Callable[[int, int], None] | None = None,
) -> DemandForecast:
    """The cycle's coherent forecast at every level of the hierarchy; `on_progress(done,
    total)` hears how many of the engine's series (hierarchy nodes with two seasons of history;
    shorter ones take a family profile at once) are forecast so far."""
    # imported here: statsforecast takes seconds to import, the definitions should load fast
    from sop_pipeline.core.demand.forecast import forecast_levels

    return forecast_levels(
        inputs.sales_actuals, inputs.items, cycle, horizon, season_length, on_progress
    )


@dataclass(frozen=True)
class AccuracyInputs:
    """Earlier cycles' statistical forecasts and demand plans (with `cycle`) and the actuals."""

    statistical_forecast: pd.DataFrame = cycles_back("statistical_forecast", 1, max(LAGS))
    demand_plan: pd.DataFrame = cycles_back("demand_plan", 1, max(LAGS))
    sales_actuals: pd.DataFrame = this_cycle("sales_actuals")


def score_forecasts(inputs: AccuracyInputs, cycle: pd.Timestamp) -> pd.DataFrame:
    """The `forecast_accuracy` rows of the cycle (with the naive and consensus forecasts)."""
    return scored_forecasts(
        inputs.statistical_forecast, inputs.sales_actuals, cycle, inputs.demand_plan
    )


@dataclass(frozen=True)
class ValueAddedInputs:
    """The cycle's scored forecasts, the items, and this table's rows of earlier cycles."""

    forecast_accuracy: pd.DataFrame = this_cycle("forecast_accuracy")
    items: pd.DataFrame = this_cycle("items")
    history: pd.DataFrame = cycles_back("forecast_value_added", 1, HISTORY_CYCLES)


def value_added(inputs: ValueAddedInputs) -> pd.DataFrame:
    """The `forecast_value_added` rows of the cycle."""
    return forecast_value_added(inputs.forecast_accuracy, inputs.items, inputs.history)


@dataclass(frozen=True)
class DemandPlanInputs:
    """The statistical forecast and the commercial inputs layered on it (each optional)."""

    statistical_forecast: pd.DataFrame = this_cycle("statistical_forecast")
    items: pd.DataFrame = this_cycle("items")
    promotions: pd.DataFrame | None = this_cycle("promotions", optional=True)
    crm_pipeline: pd.DataFrame | None = this_cycle("crm_pipeline", optional=True)
    demand_overrides: pd.DataFrame | None = this_cycle("demand_overrides", optional=True)


def consensus_plan(inputs: DemandPlanInputs, cycle: pd.Timestamp, firm_months: int) -> DemandPlan:
    """The cycle's demand plan and override log."""
    return plan_demand(
        inputs.statistical_forecast,
        inputs.items,
        cycle,
        inputs.promotions,
        inputs.crm_pipeline,
        inputs.demand_overrides,
        firm_months=firm_months,
    )
