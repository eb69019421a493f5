"""Financial plan on the hand-computed finance case (sop_pipeline_tests.cases.finance): 2 SKUs in
2 families, 2 regions, 3 months, a baseline and a reduced-capacity scenario."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sop_pipeline.core.finance.plan import FINANCIAL_PLAN_COLUMNS, build_financial_plan
from sop_pipeline.core.finance.prices import net_prices
from sop_pipeline_tests.cases.finance import (
    APR,
    MAR,
    MAY,
    budget,
    demand_plan,
    items,
    sales_actuals,
    supply_plan,
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


def test_revenue_is_valued_at_the_realised_net_price_of_the_last_12_months() -> None:
    """A: (380 + 180 + 340) / (40 + 20 + 40) = 9 a unit instead of the list 10; B keeps 50."""
    assert net_prices(items(), sales_actuals(), MAR)["net_price"].tolist() == [9.0, 50.0]
    plan = build_financial_plan(supply_plan(), demand_plan(), items(), budget(), sales_actuals())

    march = plan_row(plan, "baseline", "F1", MAR)
    assert march["revenue"] == pytest.approx(30 * 9.0)
    assert march["gross_margin"] == pytest.approx(30 * (9.0 - 6.0))
    assert march["unconstrained_revenue"] == pytest.approx(30 * 9.0)
    assert march["revenue_gap"] == pytest.approx(30 * 9.0 - 280.0)
    may = plan_row(plan, "baseline", "F2", MAY)
    assert may["revenue"] == pytest.approx(3 * 50.0)  # list price: no sales on record


def test_without_sales_actuals_the_plan_is_valued_at_list_price() -> None:
    listed = build_financial_plan(supply_plan(), demand_plan(), items(), budget())
    unsold = build_financial_plan(
        supply_plan(), demand_plan(), items(), budget(), sales_actuals().iloc[0:0]
    )
    pd.testing.assert_frame_equal(listed, unsold)
