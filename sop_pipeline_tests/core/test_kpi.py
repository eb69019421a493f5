"""KPI table on the tiny case of test_finance, each KPI against a hand computation."""

from __future__ import annotations

import dataclasses
import logging

import pandas as pd
import pytest

from sop_pipeline.core.kpi import KPI_COLUMNS, KpiInputs, compute_kpis, kpi_summary
from sop_pipeline_tests.core.test_finance import (
    APR,
    CYCLE,
    MAR,
    MAY,
    budget,
    demand_plan,
    items,
    supply_plan,
)

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


def previous_supply_plan() -> pd.DataFrame:
    """Last cycle planned 25 of A and 10 of B for February (other rows must be ignored)."""
    rows = [
        ("baseline", "A", FEB, 25.0),
        ("baseline", "B", FEB, 10.0),
        ("baseline", "A", MAR, 40.0),
        ("cap_cut", "A", FEB, 1.0),
    ]
    previous = pd.DataFrame(rows, columns=["scenario", "sku", "month", "production"])
    return previous.assign(demand=0.0, ending_inventory=0.0, safety_stock=0.0, unmet_demand=0.0)


def tiny_inputs() -> KpiInputs:
    return KpiInputs(
        demand_plan=demand_plan(),
        supply_plan=supply_plan(),
        resource_load=resource_load(),
        exceptions=exceptions(),
        forecast_accuracy=forecast_accuracy(),
        statistical_forecast=None,
        sales_actuals=sales_actuals(),
        items=items(),
        inventory=inventory(),
        budget=budget(),
        production_orders=production_orders(),
        previous_supply_plan=previous_supply_plan(),
        previous_kpi=None,
    )


def values(kpis: pd.DataFrame, kpi: str, scenario: str = "baseline") -> dict[str, float]:
    """{scope: value} of one KPI in one scenario ('*' is the total)."""
    rows = kpis[(kpis["kpi"] == kpi) & (kpis["scenario"] == scenario)]
    return dict(zip(rows["scope"], rows["value"], strict=True))


@pytest.fixture(scope="module")
def kpis() -> pd.DataFrame:
    return compute_kpis(tiny_inputs(), CYCLE)


def test_kpi_table_layout(kpis: pd.DataFrame) -> None:
    assert list(kpis.columns) == KPI_COLUMNS
    assert not kpis.duplicated(["scenario", "kpi", "scope_type", "scope"]).any()
    assert kpis["value"].notna().all()
    assert set(kpis["unit"]) <= {"units", "currency", "ratio", "days", "months", "hours", "turns"}
    assert (kpis.loc[kpis["scope_type"] == "total", "scope"] == "*").all()


def test_sales_kpis(kpis: pd.DataFrame) -> None:
    assert values(kpis, "total_sales") == pytest.approx(
        {"*": 500.0, "F1": 300.0, "F2": 200.0, "N": 400.0, "S": 100.0}
    )


def test_accuracy_kpis(kpis: pd.DataFrame) -> None:
    # lag 1: |error| 2 + 2 + 1 on actuals 20 + 10 + 4; F1 is A, F2 is B; region S is A only
    assert values(kpis, "forecast_accuracy_lag1") == pytest.approx(
        {"*": 1 - 5 / 34, "F1": 1 - 4 / 30, "F2": 0.75, "N": 1 - 3 / 24, "S": 0.8}
    )
    assert values(kpis, "forecast_accuracy_lag3")["*"] == pytest.approx(1 - 7 / 34)
    assert values(kpis, "forecast_bias") == pytest.approx(
        {"*": 1 / 34, "F1": 0.0, "F2": 0.25, "N": -1 / 24, "S": 0.2}
    )
    assert values(kpis, "sales_vs_forecast") == pytest.approx(
        {"*": 34 / 35, "F1": 1.0, "F2": 0.8, "N": 24 / 23, "S": 10 / 12}
    )
    assert set(kpis.loc[kpis["kpi"].str.startswith("forecast_"), "scenario"]) == {"baseline"}


def test_financial_kpis(kpis: pd.DataFrame) -> None:
    # revenue A 90 x 10 = 900 (margin 360), B 13 x 50 = 650 (margin 390)
    assert values(kpis, "gross_margin_pct") == pytest.approx(
        {"*": 750 / 1550, "F1": 0.4, "F2": 0.6}
    )
    # budgeted months: F1 Mar+Apr 600 vs 600, F2 Mar 250 vs 250, F3 Apr 0 vs 100
    assert values(kpis, "revenue_vs_budget") == pytest.approx(
        {"*": 850 / 950, "F1": 1.0, "F2": 1.0, "F3": 0.0}
    )
    # the capacity cut serves 10 of B (500) instead of 13
    assert values(kpis, "gross_margin_pct", "cap_cut")["F2"] == pytest.approx(0.6)
    assert values(kpis, "revenue_vs_budget", "cap_cut")["*"] == pytest.approx(850 / 950)


def test_inventory_kpis(kpis: pd.DataFrame) -> None:
    # on hand A 40 x 6 = 240, B 8 x 20 = 160
    assert values(kpis, "working_capital") == pytest.approx({"*": 400.0, "F1": 240.0, "F2": 160.0})
    # 3 months of history (Dec-Feb) scaled x4: A 50 x 6 x 4 = 1200, B 6 x 20 x 4 = 480
    assert values(kpis, "inventory_turns") == pytest.approx({"*": 1680 / 400, "F1": 5.0, "F2": 3.0})
    # average planned demand A 30, B 5 a month
    assert values(kpis, "days_of_supply") == pytest.approx(
        {"*": 48 / 35 * 30.4, "F1": 40 / 30 * 30.4, "F2": 8 / 5 * 30.4}
    )
    assert values(kpis, "slow_moving_inventory_value") == pytest.approx(
        {"*": 0.0, "F1": 0.0, "F2": 0.0}
    )


def test_plan_kpis_per_scenario(kpis: pd.DataFrame) -> None:
    assert values(kpis, "capacity_utilization") == pytest.approx(
        {"*": 320 / 420, "R1": 260 / 300, "R2": 0.5}
    )
    assert values(kpis, "capacity_utilization", "cap_cut")["*"] == pytest.approx(320 / 420)
    assert values(kpis, "planned_fill_rate") == pytest.approx(
        {"*": 1 - 2 / 105, "F1": 1.0, "F2": 1 - 2 / 15}
    )
    assert values(kpis, "planned_fill_rate", "cap_cut")["*"] == pytest.approx(1 - 5 / 105)
    assert values(kpis, "unmet_demand") == {"*": 2.0, "F1": 0.0, "F2": 2.0}
    assert values(kpis, "unmet_demand", "cap_cut") == {"*": 5.0, "F1": 0.0, "F2": 5.0}
    assert values(kpis, "production_forecast") == {"*": 85.0, "F1": 80.0, "F2": 5.0}
    assert values(kpis, "production_forecast", "cap_cut") == {"*": 62.0, "F1": 60.0, "F2": 2.0}


def test_production_forecast_next_three_months_starts_at_the_cycle() -> None:
    kpis = compute_kpis(tiny_inputs(), APR)  # April to June: the March rows fall outside

    assert values(kpis, "production_forecast_next_3m") == {"*": 65.0, "F1": 60.0, "F2": 5.0}
    assert values(kpis, "production_forecast")["*"] == 85.0


def test_production_kpis(kpis: pd.DataFrame) -> None:
    # February: A finished 15 + 5 of 25 planned, B 10 of 10; the January order does not count
    assert values(kpis, "plan_attainment") == pytest.approx({"*": 30 / 35, "A": 0.8, "B": 1.0})
    # 16, 4 and 27 days
    assert values(kpis, "cycle_time") == pytest.approx({"*": 47 / 3, "F1": 10.0, "F2": 27.0})


def test_slow_moving_stock_by_missing_sales_or_long_cover() -> None:
    inputs = tiny_inputs()
    old_sales = inputs.sales_actuals[inputs.sales_actuals["sku"] == "A"]
    no_recent_b = dataclasses.replace(inputs, sales_actuals=old_sales)
    assert values(compute_kpis(no_recent_b, CYCLE), "slow_moving_inventory_value") == {
        "*": 160.0,
        "F1": 0.0,
        "F2": 160.0,
    }

    heaps_of_b = dataclasses.replace(
        inputs, inventory=pd.DataFrame({"sku": ["A", "B"], "site": "s1", "on_hand": [40.0, 61.0]})
    )
    assert values(compute_kpis(heaps_of_b, CYCLE), "slow_moving_inventory_value")["*"] == 1220.0

    launched = items().assign(launch_date=[pd.NaT, pd.Timestamp("2026-01-01")])
    new_b = dataclasses.replace(no_recent_b, items=launched)
    assert values(compute_kpis(new_b, CYCLE), "slow_moving_inventory_value")["*"] == 0.0


def test_absent_inputs_leave_their_kpis_out_with_a_reason(
    caplog: pytest.LogCaptureFixture,
) -> None:
    inputs = dataclasses.replace(
        tiny_inputs(),
        forecast_accuracy=forecast_accuracy().iloc[0:0],
        budget=None,
        production_orders=None,
        resource_load=None,
    )

    with caplog.at_level(logging.INFO, logger="sop_pipeline.core.kpi"):
        kpis = compute_kpis(inputs, CYCLE)

    absent = {
        "forecast_accuracy_lag1",
        "forecast_accuracy_lag3",
        "forecast_bias",
        "sales_vs_forecast",
        "revenue_vs_budget",
        "plan_attainment",
        "cycle_time",
        "capacity_utilization",
    }
    assert absent.isdisjoint(set(kpis["kpi"]))
    assert {"total_sales", "gross_margin_pct", "planned_fill_rate"} <= set(kpis["kpi"])
    for kpi in absent:
        assert f"KPI {kpi} left out" in caplog.text


def test_plan_attainment_needs_the_previous_plan() -> None:
    kpis = compute_kpis(dataclasses.replace(tiny_inputs(), previous_supply_plan=None), CYCLE)

    assert "plan_attainment" not in set(kpis["kpi"])
    assert "cycle_time" in set(kpis["kpi"])


def test_kpi_summary_keeps_baseline_totals(kpis: pd.DataFrame) -> None:
    summary = kpi_summary(kpis)

    assert list(summary.columns) == ["kpi", "value", "unit"]
    assert not summary["kpi"].duplicated().any()
    lookup = dict(zip(summary["kpi"], summary["value"], strict=True))
    assert lookup["unmet_demand"] == 2.0
    assert lookup["total_sales"] == 500.0
    assert len(summary) == (kpis["scope_type"].eq("total") & kpis["scenario"].eq("baseline")).sum()
