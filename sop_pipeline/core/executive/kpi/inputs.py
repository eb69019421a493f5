"""What the KPI step reads: the cycle's plan tables, its actuals and the previous cycle's plan."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class KpiInputs:
    """The frames the KPIs are computed from (grains as in the warehouse contract).

    Plan frames carry a `scenario` column with 'baseline' always present. Optional frames may
    be None, and any frame may be empty (e.g. forecast_accuracy in the first cycles): the KPIs
    that need it are then left out. financial_plan is built from the supply plan when not given.
    previous_supply_plan holds the previous cycle's baseline supply plan rows;
    forecast_value_added the cycle's rows of that table (lag x scope_type x scope).
    """

    demand_plan: pd.DataFrame
    supply_plan: pd.DataFrame
    resource_load: pd.DataFrame | None
    exceptions: pd.DataFrame | None
    forecast_accuracy: pd.DataFrame | None
    statistical_forecast: pd.DataFrame | None
    sales_actuals: pd.DataFrame
    items: pd.DataFrame
    inventory: pd.DataFrame
    budget: pd.DataFrame | None = None
    production_orders: pd.DataFrame | None = None
    previous_supply_plan: pd.DataFrame | None = None
    previous_kpi: pd.DataFrame | None = None
    financial_plan: pd.DataFrame | None = None
    forecast_value_added: pd.DataFrame | None = None
