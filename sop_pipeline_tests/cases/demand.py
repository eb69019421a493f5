"""The demand case, hand-computed: cycle January 2025, three months; family F1 = A, B and N
(new, launching in February), F2 = X and M (new, launching in September); regions NORTH and
SOUTH. Read by the demand plan and override log tests."""

from __future__ import annotations

import pandas as pd

from sop_pipeline_tests import factories

CYCLE = pd.Timestamp("2025-01-01")
JAN, FEB, MAR = (pd.Timestamp(f"2025-{m:02d}-01") for m in (1, 2, 3))


def items() -> pd.DataFrame:
    return factories.items(
        ["A", "B", "N", "X", "M"],
        family=["F1", "F1", "F1", "F2", "F2"],
        status=["active", "active", "new", "active", "new"],
        launch_date=[pd.NaT, pd.NaT, "2025-02-10", pd.NaT, "2025-09-01"],
    )


def statistical_forecast() -> pd.DataFrame:
    """A: 100 a month in NORTH, 40 in SOUTH; B: 50 in NORTH; X: 10 in NORTH; Z unknown."""
    rows = [
        (sku, region, month, qty)
        for month in (JAN, FEB, MAR)
        for sku, region, qty in (
            ("A", "NORTH", 100.0),
            ("A", "SOUTH", 40.0),
            ("B", "NORTH", 50.0),
            ("X", "NORTH", 10.0),
            ("Z", "NORTH", 99.0),
        )
    ]
    frame = pd.DataFrame(rows, columns=["sku", "region", "month", "forecast"])
    return frame.assign(cycle=CYCLE, model="ETS_seasonal")


def cell(plan: pd.DataFrame, sku: str, region: str, month: pd.Timestamp) -> pd.Series:
    """The one demand plan row of a SKU, region and month."""
    rows = plan[(plan["sku"] == sku) & (plan["region"] == region) & (plan["month"] == month)]
    assert len(rows) == 1, (sku, region, month)
    return rows.iloc[0]
