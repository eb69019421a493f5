"""The finance case, hand-computed: cycle March 2026, SKU A (family F1, cost 6, price 10) and B
(F2, cost 20, price 50), regions N and S, three months, a baseline and a `cap_cut` scenario.
Read by the finance, KPI and report tests."""

from __future__ import annotations

import pandas as pd

from sop_pipeline_tests import factories

CYCLE = pd.Timestamp("2026-03-01")
MAR, APR, MAY = (pd.Timestamp(f"2026-{m:02d}-01") for m in (3, 4, 5))


def items() -> pd.DataFrame:
    return factories.items(
        ["A", "B"],
        family=["F1", "F2"],
        description=["widget", "gadget"],
        unit_cost=[6.0, 20.0],
        unit_price=[10.0, 50.0],
    )


def demand_plan() -> pd.DataFrame:
    """A: 20 in region N and 10 in S each month; B: 5 in N."""
    rows = [
        (sku, region, month, qty)
        for month in (MAR, APR, MAY)
        for sku, region, qty in (("A", "N", 20.0), ("A", "S", 10.0), ("B", "N", 5.0))
    ]
    plan = pd.DataFrame(rows, columns=["sku", "region", "month", "demand"])
    for layer in ("event_uplift", "pipeline", "new_product", "override"):
        plan[layer] = 0.0
    return plan.assign(statistical=plan["demand"])


def supply_plan() -> pd.DataFrame:
    """Baseline misses 2 units of B in May; the capacity cut misses 5."""
    quantities = ["demand", "production", "ending_inventory", "safety_stock", "unmet_demand"]
    rows = [
        ("baseline", "A", MAR, 30, 20, 30, 5, 0),
        ("baseline", "A", APR, 30, 30, 30, 5, 0),
        ("baseline", "A", MAY, 30, 30, 30, 5, 0),
        ("baseline", "B", MAR, 5, 0, 3, 1, 0),
        ("baseline", "B", APR, 5, 2, 0, 1, 0),
        ("baseline", "B", MAY, 5, 3, 0, 1, 2),
        ("cap_cut", "A", MAR, 30, 20, 30, 5, 0),
        ("cap_cut", "A", APR, 30, 20, 20, 5, 0),
        ("cap_cut", "A", MAY, 30, 20, 10, 5, 0),
        ("cap_cut", "B", MAR, 5, 0, 3, 1, 0),
        ("cap_cut", "B", APR, 5, 2, 0, 1, 0),
        ("cap_cut", "B", MAY, 5, 0, 0, 1, 5),
    ]
    plan = pd.DataFrame(rows, columns=["scenario", "sku", "month", *quantities])
    plan[quantities] = plan[quantities].astype(float)
    return plan


def budget() -> pd.DataFrame:
    """F1 budgeted for March and April only, F2 for March, F3 (no SKU) for April; the February
    row lies before the horizon."""
    return pd.DataFrame(
        {
            "family": ["F1", "F1", "F2", "F3", "F1"],
            "month": [MAR, APR, MAR, APR, pd.Timestamp("2026-02-01")],
            "revenue": [280.0, 320.0, 250.0, 100.0, 999.0],
            "gross_margin": [100.0, 110.0, 120.0, 30.0, 300.0],
        }
    )


def sales_actuals() -> pd.DataFrame:
    """A sold 100 units for 900 over the 12 months before March 2026 (net price 9 against a list
    price of 10) and 50 units for 1,000 in February 2025, outside the window; B never sold (it
    keeps its list price)."""
    rows = [
        ("A", "N", "2025-02-01", 50.0, 1000.0),
        ("A", "N", "2025-03-01", 40.0, 380.0),
        ("A", "S", "2025-11-01", 20.0, 180.0),
        ("A", "N", "2026-02-01", 40.0, 340.0),
        ("A", "N", "2026-03-01", 10.0, 0.0),  # the cycle's own month: not yet an actual
    ]
    sales = pd.DataFrame(rows, columns=["sku", "region", "month", "quantity", "revenue"])
    return sales.assign(month=pd.to_datetime(sales["month"]))
