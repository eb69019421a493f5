"""Sales history: from versioned ERP shipment lines to monthly actuals."""

from __future__ import annotations

import pandas as pd

from sop_pipeline.core.calendar import month_starts

ACTUALS_COLUMNS = ["sku", "region", "month", "quantity", "revenue"]


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
