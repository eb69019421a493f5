"""The tiny KPI case: the finance case's plans plus sales, stock, accuracy, load, exceptions,
production orders and the previous plan, small enough to compute every KPI by hand."""

from __future__ import annotations

import pandas as pd

from sop_pipeline.core.executive.kpi import KpiInputs
from sop_pipeline_tests.cases.finance import (
    APR,
    CYCLE,
    MAR,
    MAY,
    budget,
    demand_plan,
    items,
    supply_plan,
)

__all__ = ["CYCLE", "exceptions", "tiny_inputs"]

DEC, JAN, FEB = pd.Timestamp("2025-12-01"), pd.Timestamp("2026-01-01"), pd.Timestamp("2026-02-01")


def sales_actuals() -> pd.DataFrame:
    rows = [
        ("A", "N", DEC, 10, 100),
        ("A", "N", JAN, 10, 100),
        ("A", "N", FEB, 20, 200),
        ("A", "S", FEB, 10, 100),
        ("B", "N", DEC, 2, 100),
        ("B", "N", FEB, 4, 200),
    ]
    sales = pd.DataFrame(rows, columns=["sku", "region", "month", "quantity", "revenue"])
    return sales.astype({"quantity": float, "revenue": float})


def inventory() -> pd.DataFrame:
    return pd.DataFrame(
        {"sku": ["A", "A", "B"], "site": ["s1", "s2", "s1"], "on_hand": [30.0, 10.0, 8.0]}
    )


def forecast_accuracy() -> pd.DataFrame:
    rows = [
        ("A", "N", 1, 18, 20),
        ("A", "S", 1, 12, 10),
        ("B", "N", 1, 5, 4),
        ("A", "N", 3, 25, 20),
        ("A", "S", 3, 10, 10),
        ("B", "N", 3, 2, 4),
    ]
    accuracy = pd.DataFrame(rows, columns=["sku", "region", "lag", "forecast", "actual"])
    accuracy = accuracy.astype({"forecast": float, "actual": float}).assign(month=FEB)
    return accuracy.assign(abs_error=(accuracy["forecast"] - accuracy["actual"]).abs())


def resource_load() -> pd.DataFrame:
    required = {"R1": [50.0, 90.0, 120.0], "R2": [10.0, 20.0, 30.0]}
    available = {"R1": 100.0, "R2": 40.0}
    rows = [
        (scenario, r, m, hours[i] * factor, available[r] * factor)
        for scenario, factor in (("baseline", 1.0), ("cap_cut", 0.5))
        for r, hours in required.items()
        for i, m in enumerate((MAR, APR, MAY))
    ]
    load = pd.DataFrame(
        rows, columns=["scenario", "resource", "month", "required_hours", "available_hours"]
    )
    return load.assign(
        overtime_hours=0.0,
        utilization=load["required_hours"] / load["available_hours"],
        unconstrained_required_hours=load["required_hours"],
    )


def exceptions() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "scenario": ["baseline", "cap_cut", "baseline"],
            "kind": ["shortage", "shortage", "overload"],
            "sku": ["B", "B", None],
            "resource": [None, None, "R1"],
            "month": [MAY, MAY, MAY],
            "quantity": [2.0, 5.0, 20.0],
            "message": [
                "B short by 2 units in 2026-05",
                "<script>alert(1)</script>",
                "R1 over by 20 h in 2026-05",
            ],
        }
    )


def production_orders() -> pd.DataFrame:
    ts = pd.Timestamp
    return pd.DataFrame(
        {
            "order_id": ["o1", "o2", "o3", "o0"],
            "sku": ["A", "A", "B", "A"],
            "start_date": [ts("2026-01-20"), ts("2026-02-10"), ts("2026-02-01"), ts("2026-01-02")],
            "finish_date": [ts("2026-02-05"), ts("2026-02-14"), ts("2026-02-28"), ts("2026-01-30")],
            "quantity": [15.0, 5.0, 10.0, 99.0],
        }
    )


def supply_plan_history() -> pd.DataFrame:
    """Last cycle (February) planned 25 of A and 10 of B for February (other rows must be
    ignored); lead times 0, so that is what was to finish in February."""
    rows = [
        ("baseline", "A", FEB, 25.0),
        ("baseline", "B", FEB, 10.0),
        ("baseline", "A", MAR, 40.0),
        ("cap_cut", "A", FEB, 1.0),
    ]
    previous = pd.DataFrame(rows, columns=["scenario", "sku", "month", "production"])
    previous = previous.assign(demand=0.0, ending_inventory=0.0, safety_stock=0.0, unmet_demand=0.0)
    return previous.assign(cycle=FEB)


def tiny_inputs() -> KpiInputs:
    return KpiInputs(
        demand_plan=demand_plan(),
        supply_plan=supply_plan(),
        resource_load=resource_load(),
        forecast_accuracy=forecast_accuracy(),
        sales_actuals=sales_actuals(),
        items=items(),
        inventory=inventory(),
        budget=budget(),
        production_orders=production_orders(),
        supply_plan_history=supply_plan_history(),
        previous_kpi=None,
    )
