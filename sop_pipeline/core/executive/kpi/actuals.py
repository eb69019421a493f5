"""KPIs on what happened: last month's sales and how earlier cycles' forecasts did.

All are actuals-based, so they carry scenario 'baseline'. The accuracy KPIs read the cycle's
forecast_accuracy rows, i.e. the month whose actuals just arrived, at one lag.
"""

from __future__ import annotations

import pandas as pd

from sop_pipeline.core.executive.kpi.frames import (
    as_baseline,
    months_before,
    present,
    scoped,
    skip,
    with_family,
)
from sop_pipeline.core.executive.kpi.inputs import KpiInputs

SCOPES = ("total", "family", "region")
ACCURACY_COLUMNS = ["forecast", "actual", "abs_error"]


def total_sales(inputs: KpiInputs, cycle: pd.Timestamp) -> pd.DataFrame:
    """Revenue of the last actual month (cycle - 1), in total, per family and per region."""
    kpi = "total_sales"
    last = months_before(cycle, 1)
    sales = inputs.sales_actuals
    if not present(sales):
        return skip(kpi, "no sales actuals")
    month_sales = sales[sales["month"] == last]
    if month_sales.empty:
        return skip(kpi, f"no sales actuals for {last:%Y-%m}")
    frame = as_baseline(with_family(month_sales, inputs.items))
    return scoped(frame, kpi, "currency", SCOPES, ["revenue"], lambda s: s["revenue"])


def forecast_accuracy_lag1(inputs: KpiInputs, cycle: pd.Timestamp) -> pd.DataFrame:
    """1 - WAPE of the forecasts made one month ahead."""
    return _accuracy(inputs, 1)


def forecast_accuracy_lag3(inputs: KpiInputs, cycle: pd.Timestamp) -> pd.DataFrame:
    """1 - WAPE of the forecasts made three months ahead."""
    return _accuracy(inputs, 3)


def forecast_bias(inputs: KpiInputs, cycle: pd.Timestamp) -> pd.DataFrame:
    """Lag-1 bias Σ(forecast - actual) / Σ actual: positive means over-forecasting."""
    return _bias(inputs, "forecast_bias", 1)


def forecast_bias_lag3(inputs: KpiInputs, cycle: pd.Timestamp) -> pd.DataFrame:
    """The same bias for the forecasts made three months ahead."""
    return _bias(inputs, "forecast_bias_lag3", 3)


def sales_vs_forecast(inputs: KpiInputs, cycle: pd.Timestamp) -> pd.DataFrame:
    """Lag-1 Σ actual / Σ forecast: above 1 means sales beat the forecast."""
    kpi = "sales_vs_forecast"
    frame = _at_lag(inputs, 1)
    if frame is None:
        return skip(kpi, _no_accuracy(1))
    return scoped(
        frame, kpi, "ratio", SCOPES, ACCURACY_COLUMNS, lambda s: s["actual"] / s["forecast"]
    )


def _accuracy(inputs: KpiInputs, lag: int) -> pd.DataFrame:
    kpi = f"forecast_accuracy_lag{lag}"
    frame = _at_lag(inputs, lag)
    if frame is None:
        return skip(kpi, _no_accuracy(lag))
    return scoped(
        frame, kpi, "ratio", SCOPES, ACCURACY_COLUMNS, lambda s: 1.0 - s["abs_error"] / s["actual"]
    )


def _bias(inputs: KpiInputs, kpi: str, lag: int) -> pd.DataFrame:
    frame = _at_lag(inputs, lag)
    if frame is None:
        return skip(kpi, _no_accuracy(lag))
    return scoped(
        frame,
        kpi,
        "ratio",
        SCOPES,
        ACCURACY_COLUMNS,
        lambda s: (s["forecast"] - s["actual"]) / s["actual"],
    )


def _no_accuracy(lag: int) -> str:
    cycles = "1 cycle" if lag == 1 else f"{lag} cycles"
    return f"no lag-{lag} forecast accuracy rows (needs the forecast made {cycles} earlier)"


def _at_lag(inputs: KpiInputs, lag: int) -> pd.DataFrame | None:
    """The accuracy rows at one lag, with family and scenario; None when there are none."""
    accuracy = inputs.forecast_accuracy
    if accuracy is None or not present(accuracy):
        return None
    rows = accuracy[accuracy["lag"] == lag]
    if rows.empty:
        return None
    return as_baseline(with_family(rows, inputs.items))
