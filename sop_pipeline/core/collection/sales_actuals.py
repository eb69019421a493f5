"""Sales history: from versioned ERP shipment lines to monthly actuals."""

from __future__ import annotations

import pandas as pd

from sop_pipeline.core.calendar import month_starts

ACTUALS_COLUMNS = ["sku", "region", "month", "quantity", "revenue"]
# two seasons of 12 months, the forecast engine's minimum history (`engine.min_history`): a
# series with fewer months is forecast by short-history methods
FULL_HISTORY_MONTHS = 24


def short_history_warning(months: int, what: str) -> str | None:
    """The warning for a sales history (`what`) of `months` months, None when it is long enough."""
    if months >= FULL_HISTORY_MONTHS:
        return None
    return (
        f"{what} holds {months} months; a new warehouse needs {FULL_HISTORY_MONTHS} for "
        "seasonal forecasts (else short-history methods)"
    )


def latest_lines(sales_lines: pd.DataFrame) -> pd.DataFrame:
    """One row per line_id: the version from the most recent load (`cycle`), so that a
    full re-export and a monthly increment with late corrections give the same history."""
    ordered = sales_lines.sort_values("cycle", kind="stable")
    return ordered.drop_duplicates("line_id", keep="last")


def sales_actuals(sales_lines: pd.DataFrame, cycle: pd.Timestamp) -> pd.DataFrame:
    """Monthly actuals as seen by `cycle`: grain sku x region x month for months before it."""
    if sales_lines.empty:
        return pd.DataFrame(columns=ACTUALS_COLUMNS)
    lines = latest_lines(sales_lines[sales_lines["cycle"] <= cycle])
    lines = lines[lines["ship_date"] < cycle]
    month = month_starts(lines["ship_date"])
    actuals = (
        lines.assign(month=month, revenue=lines["net_revenue"])
        .groupby(["sku", "region", "month"], as_index=False)[["quantity", "revenue"]]
        .sum()
    )
    return actuals[ACTUALS_COLUMNS]
