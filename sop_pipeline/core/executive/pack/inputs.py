"""What the meeting pack reads: the cycle's KPI and plan tables and last cycle's KPIs."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class PackInputs:
    """The tables the meeting pack is drawn from (grains as in the warehouse contract).

    kpi: the cycle's KPI rows; financial_plan: scenario x family x month. resource_load,
    exceptions and forecast_accuracy may be None or empty (their sections then say so);
    previous_kpi is None in the first cycle, and the tiles then show no change. kpi_history holds
    the KPI rows of every cycle up to this one, with their `cycle`, for the accuracy trend.
    """

    kpi: pd.DataFrame
    financial_plan: pd.DataFrame
    resource_load: pd.DataFrame | None = None
    exceptions: pd.DataFrame | None = None
    forecast_accuracy: pd.DataFrame | None = None
    previous_kpi: pd.DataFrame | None = None
    kpi_history: pd.DataFrame | None = None
