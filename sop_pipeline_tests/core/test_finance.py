"""Financial plan on a tiny hand-computed case: 2 SKUs in 2 families, 2 regions, 3 months,
a baseline and a reduced-capacity scenario. The frames here are shared by the KPI and report
tests."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sop_pipeline.core.finance.plan import FINANCIAL_PLAN_COLUMNS, build_financial_plan

CYCLE = pd.Timestamp("2026-03-01")
MAR, APR, MAY = (pd.Timestamp(f"2026-{m:02d}-01") for m in (3, 4, 5))


def items() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sku": ["A", "B"],
            "description": ["widget", "gadget"],
            "family": ["F1", "F2"],
            "uom": ["ea", "ea"],
            "unit_cost": [6.0, 20.0],
            "unit_price": [10.0, 50.0],
            "status": ["active", "active"],
            "launch_date": pd.to_datetime([pd.NaT, pd.NaT]),
            "end_date": pd.to_datetime([pd.NaT, pd.NaT]),
            "lead_time_months": [0, 0],
        }
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
    columns = [
        "scenario",
        "sku",
        "month",
        "demand",
        "production",
        "ending_inventory",
        "safety_stock",
        "unmet_demand",
    ]
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
    plan = pd.DataFrame(rows, columns=columns)
    plan[columns[3:]] = plan[columns[3:]].astype(float)
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


def plan_row(plan: pd.DataFrame, scenario: str, family: str, month: pd.Timestamp) -> pd.Series:
    rows = plan[
        (plan["scenario"] == scenario) & (plan["family"] == family) & (plan["month"] == month)
    ]
    assert len(rows) == 1
    return rows.iloc[0]


def test_financial_plan_values_served_quantity_at_price_and_cost() -> None:
    plan = build_financial_plan(supply_plan(), demand_plan(), items(), budget())

    assert list(plan.columns) == FINANCIAL_PLAN_COLUMNS
    march = plan_row(plan, "baseline", "F1", MAR)
    assert march["revenue"] == pytest.approx(300.0)  # 30 served x 10
    assert march["cogs"] == pytest.approx(180.0)  # 30 x 6
    assert march["gross_margin"] == pytest.approx(120.0)
    assert march["unconstrained_revenue"] == pytest.approx(300.0)
    assert march["inventory_value"] == pytest.approx(180.0)  # 30 left x 6
    assert march["unconstrained_cogs"] == pytest.approx(180.0)  # nothing unmet: same as cogs
    assert march["unconstrained_gross_margin"] == pytest.approx(120.0)
    assert march["budget_revenue"] == pytest.approx(280.0)
    assert march["revenue_gap"] == pytest.approx(20.0)  # 300 - 280
    assert march["budget_gross_margin"] == pytest.approx(100.0)
    assert march["gross_margin_gap"] == pytest.approx(20.0)  # 120 - 100

    may = plan_row(plan, "baseline", "F2", MAY)
    assert may["revenue"] == pytest.approx(150.0)  # (5 - 2 unmet) x 50
    assert may["cogs"] == pytest.approx(60.0)  # 3 x 20
    assert may["gross_margin"] == pytest.approx(90.0)  # 150 - 60
    assert may["unconstrained_revenue"] == pytest.approx(250.0)  # 5 x 50
    assert may["unconstrained_cogs"] == pytest.approx(100.0)  # 5 x 20
    # the 2 units capacity cannot make cost 2 x (50 - 20) = 60 of margin
    assert may["unconstrained_gross_margin"] - may["gross_margin"] == pytest.approx(60.0)
    assert may["inventory_value"] == pytest.approx(0.0)
    for column in ("budget_revenue", "revenue_gap", "budget_gross_margin", "gross_margin_gap"):
        assert math.isnan(may[column])

    cut = plan_row(plan, "cap_cut", "F2", MAY)
    assert cut["revenue"] == pytest.approx(0.0)
    assert cut["unconstrained_revenue"] == pytest.approx(250.0)
    assert cut["unconstrained_gross_margin"] == pytest.approx(150.0)

    april = plan_row(plan, "cap_cut", "F1", APR)
    assert april["inventory_value"] == pytest.approx(120.0)  # 20 left x 6


def test_budget_only_families_appear_in_every_scenario_and_out_of_horizon_is_ignored() -> None:
    plan = build_financial_plan(supply_plan(), demand_plan(), items(), budget())

    for scenario in ("baseline", "cap_cut"):
        unplanned = plan_row(plan, scenario, "F3", APR)
        assert unplanned["revenue"] == 0.0
        assert unplanned["revenue_gap"] == pytest.approx(-100.0)
        assert unplanned["gross_margin_gap"] == pytest.approx(-30.0)
    assert plan["month"].min() == MAR
    assert len(plan) == 2 * (2 * 3 + 1)  # scenarios x (families x months + the F3 row)
    assert plan["budget_revenue"].sum() == pytest.approx(2 * (280 + 320 + 250 + 100))


def test_financial_plan_without_budget_leaves_budget_empty() -> None:
    plan = build_financial_plan(supply_plan(), demand_plan(), items(), None)

    assert len(plan) == 2 * 2 * 3
    for column in ("budget_revenue", "revenue_gap", "budget_gross_margin", "gross_margin_gap"):
        assert plan[column].isna().all()
    baseline = plan[plan["scenario"] == "baseline"]
    assert baseline["revenue"].sum() == pytest.approx(90 * 10 + 13 * 50)
    assert baseline["gross_margin"].sum() == pytest.approx(90 * 4 + 13 * 30)
    assert baseline["unconstrained_gross_margin"].sum() == pytest.approx(90 * 4 + 15 * 30)
    assert baseline["inventory_value"].sum() == pytest.approx(90 * 6 + 3 * 20)


def test_budget_without_gross_margin_leaves_only_the_margin_budget_empty() -> None:
    revenue_only = budget().drop(columns="gross_margin")

    plan = build_financial_plan(supply_plan(), demand_plan(), items(), revenue_only)

    march = plan_row(plan, "baseline", "F1", MAR)
    assert march["revenue_gap"] == pytest.approx(20.0)
    assert math.isnan(march["budget_gross_margin"]) and math.isnan(march["gross_margin_gap"])


def test_skus_missing_from_items_are_left_out_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    supply = pd.concat([supply_plan(), supply_plan().head(1).assign(sku="GHOST")])

    plan = build_financial_plan(supply, demand_plan(), items(), None)

    assert plan[plan["scenario"] == "baseline"]["revenue"].sum() == pytest.approx(1550.0)
    assert "GHOST" in caplog.text
