"""Golden test of the KPI table: every KPI at every scope of a tiny hand-made company, computed by
hand below (the arithmetic is written out) and compared with the whole table the code produces;
then each optional input taken away in turn.

The company: SKUs A and B in family F1, C in family F2; regions N and S; one resource R1.
Cycle 2026-03: actuals up to February 2026, plan March to June, a baseline and a `cap_cut`
scenario that loses 5 units of A in April instead of 4 in May.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Collection

import pandas as pd
import pytest

from sop_pipeline.core.demand.value_added import forecast_value_added
from sop_pipeline.core.executive.kpi import (
    KPI_COLUMNS,
    KPI_DEFINITIONS,
    KpiInputs,
    compute_kpi_table,
)

CYCLE = pd.Timestamp("2026-03-01")
MONTHS = pd.date_range("2026-03-01", periods=4, freq="MS")  # March to June
FEB = pd.Timestamp("2026-02-01")
JAN = pd.Timestamp("2026-01-01")
# C's realised net price over March 2025 - February 2026: (100 + 200 + 45) / (2 + 4 + 1)
C_NET = 345 / 7
FVA = ["forecast_value_added_statistical", "forecast_value_added_consensus"]
SCORED = [
    "forecast_accuracy_lag1",
    "forecast_accuracy_lag3",
    "forecast_bias",
    "forecast_bias_lag3",
    "sales_vs_forecast",
    "forecast_interval_coverage",
    *FVA,
]


BASE, CUT = "baseline", "cap_cut"
T, F, R, S, RES = "total", "family", "region", "sku", "resource"


def items() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sku": ["A", "B", "C"],
            "family": ["F1", "F1", "F2"],
            "unit_cost": [6.0, 4.0, 20.0],
            "unit_price": [10.0, 8.0, 50.0],
            "launch_date": pd.to_datetime([pd.NaT, pd.NaT, pd.NaT]),
            "lead_time_months": [0, 0, 1],  # an order of C finishes the month after its start
        }
    )


def sales_actuals() -> pd.DataFrame:
    rows = [
        ("A", "N", "2025-02", 100, 1000),  # before the 12-month turns window
        ("A", "N", "2025-03", 10, 100),
        ("B", "S", "2025-06", 5, 40),  # B's last sale: more than 6 months ago
        ("A", "N", "2025-12", 10, 100),
        ("A", "N", "2026-01", 10, 100),
        ("C", "N", "2026-01", 2, 100),
        ("A", "N", "2026-02", 20, 200),
        ("A", "S", "2026-02", 10, 100),
        ("C", "N", "2026-02", 4, 200),
        ("C", "S", "2026-02", 1, 45),
    ]
    sales = pd.DataFrame(rows, columns=["sku", "region", "month", "quantity", "revenue"])
    return sales.assign(month=pd.to_datetime(sales["month"])).astype(
        {"quantity": float, "revenue": float}
    )


def inventory() -> pd.DataFrame:
    return pd.DataFrame(
        {"sku": ["A", "A", "B", "C"], "site": ["s1", "s2", "s1", "s1"], "on_hand": [30, 10, 20, 70]}
    ).astype({"on_hand": float})


def forecast_accuracy() -> pd.DataFrame:
    """February scored at lag 1 (five series, B forecast but not sold) and lag 3 (three), with
    the seasonal naive forecast, the consensus (none for C in N: not in that demand plan) and
    the 80 % interval (none for C in S; A-N and C-N hold their actual, A-S and B-S do not)."""
    nan = float("nan")
    rows = [
        ("A", "N", 1, 18, 20, 15, 19, 15, 21),
        ("A", "S", 1, 12, 10, 10, 11, 11, 13),
        ("B", "S", 1, 2, 0, 0, 1, 0.5, 3),
        ("C", "N", 1, 5, 4, 2, nan, 3, 7),
        ("C", "S", 1, 1, 1, 0, 1, nan, nan),
        ("A", "N", 3, 25, 20, 20, nan, 10, 40),
        ("A", "S", 3, 10, 10, 8, nan, 5, 15),
        ("C", "N", 3, 2, 4, 3, nan, 1, 3),
    ]
    columns = ["sku", "region", "lag", "forecast", "actual", "naive", "consensus", "lo_80", "hi_80"]
    scored = pd.DataFrame(rows, columns=columns).astype({c: float for c in columns[3:]})
    scored = scored.assign(month=FEB)
    return scored.assign(abs_error=(scored["forecast"] - scored["actual"]).abs())


def demand_plan() -> pd.DataFrame:
    """Every month: A 20 in N and 10 in S, B 1 in S, C 4 in N and 1 in S; except June, beyond
    the 3 months days of supply look ahead, when A's demand in N is 50."""
    per_month = [("A", "N", 20.0), ("A", "S", 10.0), ("B", "S", 1.0), ("C", "N", 4.0)]
    rows = [(s, r, m, q) for m in MONTHS for s, r, q in [*per_month, ("C", "S", 1.0)]]
    plan = pd.DataFrame(rows, columns=["sku", "region", "month", "demand"])
    june_a_north = (plan["month"] == MONTHS[3]) & (plan["sku"] == "A") & (plan["region"] == "N")
    plan.loc[june_a_north, "demand"] = 50.0
    return plan


def supply_plan() -> pd.DataFrame:
    """Per SKU and month: (demand, production, ending inventory, unmet, backorder), opening
    stock A 40, B 20, C 70. B's March order is shipped a month late, in April (a backorder of
    1 carried into April's demand): served, but not on time."""
    a_base = [(30, 10, 20, 0, 0), (30, 10, 0, 0, 0), (30, 26, 0, 4, 0), (30, 30, 0, 0, 0)]
    a_cut = [(30, 10, 20, 0, 0), (30, 5, 0, 5, 0), (30, 30, 0, 0, 0), (30, 30, 0, 0, 0)]
    b = [(1, 0, 20, 1, 1), (2, 0, 18, 0, 0), (1, 0, 17, 0, 0), (1, 0, 16, 0, 0)]
    c = [(5, 0, 65, 0, 0), (5, 0, 60, 0, 0), (5, 0, 55, 0, 0), (5, 10, 60, 0, 0)]
    plans = {"baseline": {"A": a_base, "B": b, "C": c}, "cap_cut": {"A": a_cut, "B": b, "C": c}}
    rows = [
        (scenario, sku, month, *figures)
        for scenario, skus in plans.items()
        for sku, months in skus.items()
        for month, figures in zip(MONTHS, months, strict=True)
    ]
    columns = ["scenario", "sku", "month", "demand", "production", "ending_inventory"]
    columns += ["unmet_demand", "backorder"]
    plan = pd.DataFrame(rows, columns=columns)
    return plan.assign(safety_stock=0.0).astype({c: float for c in columns[3:]})


def budget() -> pd.DataFrame:
    """F1 budgeted in March and April, F2 in March, F3 (no SKU) in April; February is before
    the plan."""
    return pd.DataFrame(
        {
            "family": ["F1", "F1", "F2", "F3", "F1"],
            "month": [MONTHS[0], MONTHS[1], MONTHS[0], MONTHS[1], FEB],
            "revenue": [300.0, 300.0, 260.0, 100.0, 999.0],
            "gross_margin": [100.0, 100.0, 150.0, 30.0, 300.0],
        }
    )


def resource_load() -> pd.DataFrame:
    required = {"baseline": [50, 90, 120, 60], "cap_cut": [45, 60, 60, 60]}
    available = {"baseline": 100.0, "cap_cut": 60.0}
    rows = [
        (scenario, "R1", month, float(hours), available[scenario])
        for scenario, monthly in required.items()
        for month, hours in zip(MONTHS, monthly, strict=True)
    ]
    columns = ["scenario", "resource", "month", "required_hours", "available_hours"]
    return pd.DataFrame(rows, columns=columns)


def production_orders() -> pd.DataFrame:
    rows = [
        ("o0", "A", "2026-01-02", "2026-01-30", 99.0),  # finished in January: not counted
        ("o1", "A", "2026-01-20", "2026-02-05", 15.0),  # 16 days
        ("o2", "A", "2026-02-10", "2026-02-14", 5.0),  # 4 days
        ("o3", "C", "2026-02-01", "2026-02-28", 10.0),  # 27 days
    ]
    orders = pd.DataFrame(
        rows, columns=["order_id", "sku", "start_date", "finish_date", "quantity"]
    )
    return orders.assign(
        start_date=pd.to_datetime(orders["start_date"]),
        finish_date=pd.to_datetime(orders["finish_date"]),
    )


def supply_plan_history() -> pd.DataFrame:
    """Cycle 2026-02 planned to start 25 of A and 5 of B in February (lead time 0: finished in
    February); cycle 2026-01 planned to start 8 of C in January (lead time 1: finished in
    February). The other rows are not planned finishes of February and are ignored."""
    rows = [
        (FEB, "baseline", "A", FEB, 25.0),
        (FEB, "baseline", "B", FEB, 5.0),
        (FEB, "baseline", "C", FEB, 10.0),  # C started in February finishes in March
        (FEB, "baseline", "A", MONTHS[0], 40.0),
        (FEB, "cap_cut", "A", FEB, 1.0),
        (JAN, "baseline", "C", JAN, 8.0),
        (JAN, "baseline", "A", JAN, 99.0),  # A started in January finished in January
        (JAN, "baseline", "C", FEB, 7.0),  # January's view of February's start: superseded
    ]
    return pd.DataFrame(rows, columns=["cycle", "scenario", "sku", "month", "production"])


def previous_kpi() -> pd.DataFrame:
    """The previous cycle's opening inventory value: F1 480, F2 1000 (and KPIs not read)."""
    rows = [
        (BASE, "inventory_value", T, "*", 1480.0, "currency"),
        (BASE, "inventory_value", F, "F1", 480.0, "currency"),
        (BASE, "inventory_value", F, "F2", 1000.0, "currency"),
        (BASE, "days_of_supply", F, "F1", 99.0, "days"),
    ]
    return pd.DataFrame(rows, columns=KPI_COLUMNS)


def scored(accuracy: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The scored forecasts and the demand review's forecast value added computed from them."""
    return {
        "forecast_accuracy": accuracy,
        "forecast_value_added": forecast_value_added(accuracy, items()),
    }


def golden_inputs() -> KpiInputs:
    return KpiInputs(
        **scored(forecast_accuracy()),
        demand_plan=demand_plan(),
        supply_plan=supply_plan(),
        resource_load=resource_load(),
        sales_actuals=sales_actuals(),
        items=items(),
        inventory=inventory(),
        budget=budget(),
        production_orders=production_orders(),
        supply_plan_history=supply_plan_history(),
        previous_kpi=previous_kpi(),
    )


# (scenario, kpi, scope_type, scope, value, unit), each value computed by hand
EXPECTED = [
    # total_sales: February revenue
    (BASE, "total_sales", T, "*", 200 + 100 + 200 + 45, "currency"),
    (BASE, "total_sales", F, "F1", 200 + 100, "currency"),  # A
    (BASE, "total_sales", F, "F2", 200 + 45, "currency"),  # C
    (BASE, "total_sales", R, "N", 200 + 200, "currency"),  # A, C
    (BASE, "total_sales", R, "S", 100 + 45, "currency"),  # A, C
    # lag 1: forecast/actual A-N 18/20, A-S 12/10, B-S 2/0, C-N 5/4, C-S 1/1
    # accuracy = 1 - Σ|f - a| / Σ a
    (BASE, "forecast_accuracy_lag1", T, "*", 1 - (2 + 2 + 2 + 1 + 0) / 35, "ratio"),
    (BASE, "forecast_accuracy_lag1", F, "F1", 1 - (2 + 2 + 2) / (20 + 10 + 0), "ratio"),
    (BASE, "forecast_accuracy_lag1", F, "F2", 1 - (1 + 0) / (4 + 1), "ratio"),
    (BASE, "forecast_accuracy_lag1", R, "N", 1 - (2 + 1) / (20 + 4), "ratio"),
    (BASE, "forecast_accuracy_lag1", R, "S", 1 - (2 + 2 + 0) / (10 + 0 + 1), "ratio"),
    # lag 3: A-N 25/20, A-S 10/10, C-N 2/4
    (BASE, "forecast_accuracy_lag3", T, "*", 1 - (5 + 0 + 2) / (20 + 10 + 4), "ratio"),
    (BASE, "forecast_accuracy_lag3", F, "F1", 1 - (5 + 0) / (20 + 10), "ratio"),
    (BASE, "forecast_accuracy_lag3", F, "F2", 1 - 2 / 4, "ratio"),
    (BASE, "forecast_accuracy_lag3", R, "N", 1 - (5 + 2) / (20 + 4), "ratio"),
    (BASE, "forecast_accuracy_lag3", R, "S", 1 - 0 / 10, "ratio"),
    # bias = Σ(f - a) / Σ a
    (BASE, "forecast_bias", T, "*", (38 - 35) / 35, "ratio"),
    (BASE, "forecast_bias", F, "F1", (18 + 12 + 2 - 30) / 30, "ratio"),
    (BASE, "forecast_bias", F, "F2", (5 + 1 - 5) / 5, "ratio"),
    (BASE, "forecast_bias", R, "N", (18 + 5 - 24) / 24, "ratio"),
    (BASE, "forecast_bias", R, "S", (12 + 2 + 1 - 11) / 11, "ratio"),
    (BASE, "forecast_bias_lag3", T, "*", (25 + 10 + 2 - 34) / 34, "ratio"),
    (BASE, "forecast_bias_lag3", F, "F1", (25 + 10 - 30) / 30, "ratio"),
    (BASE, "forecast_bias_lag3", F, "F2", (2 - 4) / 4, "ratio"),
    (BASE, "forecast_bias_lag3", R, "N", (25 + 2 - 24) / 24, "ratio"),
    (BASE, "forecast_bias_lag3", R, "S", (10 - 10) / 10, "ratio"),
    # sales vs forecast = Σ a / Σ f at lag 1
    (BASE, "sales_vs_forecast", T, "*", 35 / 38, "ratio"),
    (BASE, "sales_vs_forecast", F, "F1", 30 / (18 + 12 + 2), "ratio"),
    (BASE, "sales_vs_forecast", F, "F2", 5 / (5 + 1), "ratio"),
    (BASE, "sales_vs_forecast", R, "N", 24 / (18 + 5), "ratio"),
    (BASE, "sales_vs_forecast", R, "S", 11 / (12 + 2 + 1), "ratio"),
    # interval coverage at lag 1: actual inside [lo_80, hi_80] for A-N (20 in 15-21) and C-N
    # (4 in 3-7), outside for A-S (10 below 11-13) and B-S (0 below 0.5-3); C-S has no interval
    (BASE, "forecast_interval_coverage", T, "*", 2 / 4, "ratio"),
    (BASE, "forecast_interval_coverage", F, "F1", 1 / 3, "ratio"),
    (BASE, "forecast_interval_coverage", F, "F2", 1 / 1, "ratio"),
    (BASE, "forecast_interval_coverage", R, "N", 2 / 2, "ratio"),
    (BASE, "forecast_interval_coverage", R, "S", 0 / 2, "ratio"),
    # FVA statistical = (Σ|a - naive| - Σ|a - f|) / Σ a at lag 1; naive A-N 15, A-S 10, B-S 0,
    # C-N 2, C-S 0, so naive errors 5, 0, 0, 2, 1 against statistical errors 2, 2, 2, 1, 0
    (BASE, "forecast_value_added_statistical", T, "*", (8 - 7) / 35, "ratio"),
    (BASE, "forecast_value_added_statistical", F, "F1", (5 + 0 + 0 - 6) / 30, "ratio"),
    (BASE, "forecast_value_added_statistical", F, "F2", (2 + 1 - 1) / 5, "ratio"),
    (BASE, "forecast_value_added_statistical", R, "N", (5 + 2 - 3) / 24, "ratio"),
    (BASE, "forecast_value_added_statistical", R, "S", (0 + 0 + 1 - 4) / 11, "ratio"),
    # FVA consensus = WAPE(statistical) - WAPE(consensus), each over the series it has (the
    # consensus has all but C-N): consensus errors A-N 1, A-S 1, B-S 1, C-S 0
    (BASE, "forecast_value_added_consensus", T, "*", 7 / 35 - (1 + 1 + 1 + 0) / 31, "ratio"),
    (BASE, "forecast_value_added_consensus", F, "F1", 6 / 30 - (1 + 1 + 1) / 30, "ratio"),
    (BASE, "forecast_value_added_consensus", F, "F2", 1 / 5 - 0 / 1, "ratio"),
    (BASE, "forecast_value_added_consensus", R, "N", 3 / 24 - 1 / 20, "ratio"),
    (BASE, "forecast_value_added_consensus", R, "S", 4 / 11 - (1 + 1 + 0) / 11, "ratio"),
    # gross margin % of the served units at realised net prices (A 10 and B 8, as listed; C
    # 345/7 against a list price of 50): baseline A 30+30+26+30 = 116 x (10, margin 4),
    # B 4 x (8, margin 4), C 20 x (C_NET, margin C_NET - 20); cap_cut A 30+25+30+30 = 115
    (
        BASE,
        "gross_margin_pct",
        T,
        "*",
        (464 + 16 + 20 * (C_NET - 20)) / (1160 + 32 + 20 * C_NET),
        "ratio",
    ),  # noqa: E501
    (BASE, "gross_margin_pct", F, "F1", (464 + 16) / (1160 + 32), "ratio"),
    (BASE, "gross_margin_pct", F, "F2", (C_NET - 20) / C_NET, "ratio"),
    (
        CUT,
        "gross_margin_pct",
        T,
        "*",
        (460 + 16 + 20 * (C_NET - 20)) / (1150 + 32 + 20 * C_NET),
        "ratio",
    ),  # noqa: E501
    (CUT, "gross_margin_pct", F, "F1", (460 + 16) / (1150 + 32), "ratio"),
    (CUT, "gross_margin_pct", F, "F2", (C_NET - 20) / C_NET, "ratio"),
    # revenue vs budget over the budgeted family-months: F1 Mar 30x10 = 300 (B's unit ships in
    # April), F1 Apr 30x10 + 2x8 = 316 (cap_cut 25x10 + 16 = 266), so F1 616 (cap_cut 566) as if
    # B had shipped on time; F2 Mar 5 x C_NET, F3 Apr 0; budgets 300, 300, 260, 100
    (
        BASE,
        "revenue_vs_budget",
        T,
        "*",
        (300 + 316 + 5 * C_NET + 0) / (300 + 300 + 260 + 100),
        "ratio",
    ),  # noqa: E501
    (BASE, "revenue_vs_budget", F, "F1", (300 + 316) / (300 + 300), "ratio"),
    (BASE, "revenue_vs_budget", F, "F2", 5 * C_NET / 260, "ratio"),
    (BASE, "revenue_vs_budget", F, "F3", 0 / 100, "ratio"),
    (CUT, "revenue_vs_budget", T, "*", (300 + 266 + 5 * C_NET + 0) / 960, "ratio"),
    (CUT, "revenue_vs_budget", F, "F1", (300 + 266) / 600, "ratio"),
    (CUT, "revenue_vs_budget", F, "F2", 5 * C_NET / 260, "ratio"),
    (CUT, "revenue_vs_budget", F, "F3", 0 / 100, "ratio"),
    # inventory value: on hand at cost, A (30+10) x 6, B 20 x 4, C 70 x 20
    (BASE, "inventory_value", T, "*", 240 + 80 + 1400, "currency"),
    (BASE, "inventory_value", F, "F1", 240 + 80, "currency"),
    (BASE, "inventory_value", F, "F2", 1400, "currency"),
    # turns: COGS Mar 2025 - Feb 2026 (12 months, so no scaling) / average inventory at cost,
    # the mean of this cycle's (1720, F1 320, F2 1400) and the previous one's (1480, 480, 1000):
    # A (10+10+10+20+10) x 6 = 360, B 5 x 4 = 20, C (2+4+1) x 20 = 140
    (BASE, "inventory_turns", T, "*", (360 + 20 + 140) / ((1720 + 1480) / 2), "turns"),
    (BASE, "inventory_turns", F, "F1", (360 + 20) / ((320 + 480) / 2), "turns"),
    (BASE, "inventory_turns", F, "F2", 140 / ((1400 + 1000) / 2), "turns"),
    # days of supply: on hand / average planned monthly demand of March to May (A 30, B 1,
    # C 5; A's 50 + 10 in June lies beyond) x 30.4
    (BASE, "days_of_supply", T, "*", (40 + 20 + 70) / (30 + 1 + 5) * 30.4, "days"),
    (BASE, "days_of_supply", F, "F1", (40 + 20) / (30 + 1) * 30.4, "days"),
    (BASE, "days_of_supply", F, "F2", 70 / 5 * 30.4, "days"),
    (BASE, "days_of_supply", S, "A", 40 / 30 * 30.4, "days"),
    (BASE, "days_of_supply", S, "B", 20 / 1 * 30.4, "days"),
    (BASE, "days_of_supply", S, "C", 70 / 5 * 30.4, "days"),
    # slow-moving: B has not sold since June 2025 (80 at cost); C holds 70 > 12 x 5 months of
    # cover (1400 at cost); A sells and holds 40 < 12 x 30
    (BASE, "slow_moving_inventory_value", T, "*", 80 + 1400, "currency"),
    (BASE, "slow_moving_inventory_value", F, "F1", 80, "currency"),
    (BASE, "slow_moving_inventory_value", F, "F2", 1400, "currency"),
    (BASE, "slow_moving_inventory_value", S, "A", 0, "currency"),  # not slow-moving
    (BASE, "slow_moving_inventory_value", S, "B", 80, "currency"),
    (BASE, "slow_moving_inventory_value", S, "C", 1400, "currency"),
    # capacity: Σ required / Σ available over March to June
    (BASE, "capacity_utilization", T, "*", (50 + 90 + 120 + 60) / (4 * 100), "ratio"),
    (BASE, "capacity_utilization", RES, "R1", (50 + 90 + 120 + 60) / (4 * 100), "ratio"),
    (CUT, "capacity_utilization", T, "*", (45 + 60 + 60 + 60) / (4 * 60), "ratio"),
    (CUT, "capacity_utilization", RES, "R1", (45 + 60 + 60 + 60) / (4 * 60), "ratio"),
    # fill rate: 1 - Σ unserved / Σ new demand, new demand 4 months x (A 30 + B 1 | C 5); B's
    # backorder of March is served in April, so it is not unserved (and April's new demand is
    # 2 - 1 carried in = 1)
    (BASE, "planned_fill_rate", T, "*", 1 - 4 / (4 * 36), "ratio"),
    (BASE, "planned_fill_rate", F, "F1", 1 - 4 / (4 * 31), "ratio"),
    (BASE, "planned_fill_rate", F, "F2", 1 - 0 / (4 * 5), "ratio"),
    (CUT, "planned_fill_rate", T, "*", 1 - 5 / (4 * 36), "ratio"),
    (CUT, "planned_fill_rate", F, "F1", 1 - 5 / (4 * 31), "ratio"),
    (CUT, "planned_fill_rate", F, "F2", 1 - 0 / (4 * 5), "ratio"),
    # on-time fill rate: Σ max(new demand - unmet, 0) / Σ new demand; B ships 0 of March's 1
    # on time (its April shipments serve the carried backorder first), then 1 a month: 3 of 4.
    # Baseline A 120 - 4 lost, cap_cut 120 - 5; C 20 of 20
    (BASE, "on_time_fill_rate", T, "*", (116 + 3 + 20) / (120 + 4 + 20), "ratio"),
    (BASE, "on_time_fill_rate", F, "F1", (116 + 3) / (120 + 4), "ratio"),
    (BASE, "on_time_fill_rate", F, "F2", 20 / 20, "ratio"),
    (CUT, "on_time_fill_rate", T, "*", (115 + 3 + 20) / (120 + 4 + 20), "ratio"),
    (CUT, "on_time_fill_rate", F, "F1", (115 + 3) / (120 + 4), "ratio"),
    (CUT, "on_time_fill_rate", F, "F2", 20 / 20, "ratio"),
    (BASE, "unmet_demand", T, "*", 4, "units"),
    (BASE, "unmet_demand", F, "F1", 4, "units"),
    (BASE, "unmet_demand", F, "F2", 0, "units"),
    (CUT, "unmet_demand", T, "*", 5, "units"),
    (CUT, "unmet_demand", F, "F1", 5, "units"),
    (CUT, "unmet_demand", F, "F2", 0, "units"),
    # production: A 10+10+26+30 (cap_cut 10+5+30+30), C 10 in June; next 3 months = Mar-May
    (BASE, "production_forecast", T, "*", 76 + 10, "units"),
    (BASE, "production_forecast", F, "F1", 76, "units"),
    (BASE, "production_forecast", F, "F2", 10, "units"),
    (CUT, "production_forecast", T, "*", 75 + 10, "units"),
    (CUT, "production_forecast", F, "F1", 75, "units"),
    (CUT, "production_forecast", F, "F2", 10, "units"),
    (BASE, "production_forecast_next_3m", T, "*", 10 + 10 + 26, "units"),
    (BASE, "production_forecast_next_3m", F, "F1", 10 + 10 + 26, "units"),
    (BASE, "production_forecast_next_3m", F, "F2", 0, "units"),
    (CUT, "production_forecast_next_3m", T, "*", 10 + 5 + 30, "units"),
    (CUT, "production_forecast_next_3m", F, "F1", 10 + 5 + 30, "units"),
    (CUT, "production_forecast_next_3m", F, "F2", 0, "units"),
    # attainment: finished in February A 15 + 5, B 0, C 10 against planned finishes in
    # February: A 25, B 5 (started in February), C 8 (started in January, lead time 1)
    (BASE, "plan_attainment", T, "*", (20 + 0 + 10) / (25 + 5 + 8), "ratio"),
    (BASE, "plan_attainment", F, "F1", (20 + 0) / (25 + 5), "ratio"),
    (BASE, "plan_attainment", F, "F2", 10 / 8, "ratio"),
    (BASE, "plan_attainment", S, "A", 20 / 25, "ratio"),
    (BASE, "plan_attainment", S, "B", 0 / 5, "ratio"),
    (BASE, "plan_attainment", S, "C", 10 / 8, "ratio"),
    # cycle time: mean days of the orders finished in February, 16, 4 (A) and 27 (C)
    (BASE, "cycle_time", T, "*", (16 + 4 + 27) / 3, "days"),
    (BASE, "cycle_time", F, "F1", (16 + 4) / 2, "days"),
    (BASE, "cycle_time", F, "F2", 27, "days"),
]

KEY = ["scenario", "kpi", "scope_type", "scope"]


def expected(without: Collection[str] = ()) -> pd.DataFrame:
    rows = pd.DataFrame(EXPECTED, columns=KPI_COLUMNS).astype({"value": float})
    return rows[~rows["kpi"].isin(list(without))]


def assert_same_table(actual: pd.DataFrame, wanted: pd.DataFrame) -> None:
    """The same (scenario, kpi, scope) rows, units and values (to rounding), order aside."""
    assert list(actual.columns) == KPI_COLUMNS
    ordered = [frame.sort_values(KEY).reset_index(drop=True) for frame in (actual, wanted)]
    pd.testing.assert_frame_equal(*ordered, check_exact=False, rtol=1e-9)


def test_every_kpi_at_every_scope_matches_the_hand_computation() -> None:
    table = compute_kpi_table(golden_inputs(), CYCLE)

    assert_same_table(table.rows, expected())
    assert table.left_out == {}
    assert set(table.rows["kpi"]) == {kpi.name for kpi in KPI_DEFINITIONS}  # every KPI proven


OPTIONAL_INPUTS = {
    "budget": ({"budget": None}, {"revenue_vs_budget"}, "no budget export"),
    "production_orders": (
        {"production_orders": None},
        {"plan_attainment", "cycle_time"},
        "no production_orders",
    ),
    "resources": ({"resource_load": None}, {"capacity_utilization"}, "resources or routings"),
    "previous_plan": ({"supply_plan_history": None}, {"plan_attainment"}, "previous cycle"),
    "first_cycle": (scored(forecast_accuracy().iloc[0:0]), set(SCORED), "earlier"),
    "value_added": ({"forecast_value_added": None}, set(FVA), "forecast_value_added"),
}


def test_value_added_consensus_waits_for_a_demand_plan() -> None:
    no_plan = forecast_accuracy().assign(consensus=float("nan"))
    inputs = dataclasses.replace(golden_inputs(), **scored(no_plan))

    table = compute_kpi_table(inputs, CYCLE)

    assert_same_table(table.rows, expected(without={"forecast_value_added_consensus"}))
    assert set(table.left_out) == {"forecast_value_added_consensus"}


@pytest.mark.parametrize("case", list(OPTIONAL_INPUTS))
def test_an_absent_input_leaves_its_kpis_out_with_a_reason(
    case: str, caplog: pytest.LogCaptureFixture
) -> None:
    absent, kpis, reason = OPTIONAL_INPUTS[case]
    inputs = dataclasses.replace(golden_inputs(), **absent)

    with caplog.at_level(logging.INFO, logger="sop_pipeline.core.executive.kpi"):
        table = compute_kpi_table(inputs, CYCLE)

    assert_same_table(table.rows, expected(without=kpis))  # the others unchanged, none zero-filled
    assert set(table.left_out) == kpis
    for kpi in kpis:
        assert reason in table.left_out[kpi]
        assert f"KPI {kpi} left out: {table.left_out[kpi]}" in caplog.text


def test_lag_three_kpis_wait_for_a_forecast_three_cycles_old() -> None:
    lag_one = forecast_accuracy()[forecast_accuracy()["lag"] == 1]
    inputs = dataclasses.replace(golden_inputs(), **scored(lag_one))

    table = compute_kpi_table(inputs, CYCLE)

    lag_three = {"forecast_accuracy_lag3", "forecast_bias_lag3"}
    assert_same_table(table.rows, expected(without=lag_three))
    assert set(table.left_out) == lag_three


def test_per_sku_stock_rows_need_planned_demand_or_stock_held() -> None:
    """D (family F2) is listed in the inventory with nothing on hand and B loses its planned
    demand: B has no days of supply (nothing to divide by), D none either (0 / 0) and no
    slow-moving row (it holds no stock); B is still slow-moving (no sale since June 2025)."""
    with_d = pd.concat(
        [items(), pd.DataFrame({"sku": ["D"], "family": ["F2"], "unit_cost": [5.0]})]
    )
    empty_d = pd.concat(
        [inventory(), pd.DataFrame({"sku": ["D"], "site": ["s1"], "on_hand": [0.0]})]
    )
    no_b_demand = demand_plan()[demand_plan()["sku"] != "B"]
    inputs = dataclasses.replace(
        golden_inputs(), items=with_d, inventory=empty_d, demand_plan=no_b_demand
    )

    rows = compute_kpi_table(inputs, CYCLE).rows
    per_sku = rows[rows["scope_type"] == S].set_index(["kpi", "scope"])["value"].to_dict()

    assert {scope: v for (kpi, scope), v in per_sku.items() if kpi == "days_of_supply"} == {
        "A": pytest.approx(40 / 30 * 30.4),
        "C": pytest.approx(70 / 5 * 30.4),
    }
    slow = {scope: v for (kpi, scope), v in per_sku.items() if kpi == "slow_moving_inventory_value"}
    assert slow == {"A": 0.0, "B": 80.0, "C": 1400.0}


def test_turns_use_this_cycle_s_inventory_alone_without_an_earlier_one() -> None:
    inputs = dataclasses.replace(golden_inputs(), previous_kpi=None)

    rows = compute_kpi_table(inputs, CYCLE).rows
    turns = rows[rows["kpi"] == "inventory_turns"].set_index("scope")["value"]

    assert turns.to_dict() == pytest.approx({"*": 520 / 1720, "F1": 380 / 320, "F2": 140 / 1400})


def test_attainment_leaves_out_skus_whose_start_cycle_is_not_on_record() -> None:
    """Without the January plan, C's planned finish of February is unknown: C is left out of
    both sides (its 10 finished units too), A and B keep theirs."""
    history = supply_plan_history()
    inputs = dataclasses.replace(
        golden_inputs(), supply_plan_history=history[history["cycle"] == FEB]
    )

    rows = compute_kpi_table(inputs, CYCLE).rows
    attainment = rows[rows["kpi"] == "plan_attainment"].set_index("scope")["value"]

    assert attainment.to_dict() == pytest.approx({"*": 20 / 30, "F1": 20 / 30, "A": 0.8, "B": 0.0})
