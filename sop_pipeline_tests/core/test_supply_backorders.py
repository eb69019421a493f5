"""A backorder carried over several months is counted once in horizon sums."""

import pandas as pd
import pytest

from sop_pipeline.core.finance.plan import build_financial_plan
from sop_pipeline.core.supply.backorders import fill_rate, new_demand, unserved_demand
from sop_pipeline_tests import factories

MONTHS = pd.date_range("2026-11-01", periods=3, freq="MS")


def _plan() -> pd.DataFrame:
    """One SKU: 10 units of backlog due in month 1 that cannot ship until month 3, and 5 units of
    forecast demand in month 2 of which 2 are lost. As the LP reports it, a carried backorder is
    in `demand` and `unmet_demand` of every month it is owed."""
    return pd.DataFrame(
        {
            "scenario": "baseline",
            "sku": "A",
            "month": MONTHS,
            "demand": [10.0, 10.0 + 5.0, 10.0],
            "production": [0.0, 3.0, 10.0],
            "ending_inventory": [0.0, 0.0, 0.0],
            "safety_stock": [0.0, 0.0, 0.0],
            "unmet_demand": [10.0, 10.0 + 2.0, 0.0],
            "backlog": [10.0, 0.0, 0.0],
            "backorder": [10.0, 10.0, 0.0],
        }
    )


def test_new_demand_drops_the_backorder_carried_in():
    assert new_demand(_plan()).tolist() == [10.0, 5.0, 0.0]


def test_unserved_demand_counts_lost_sales_once():
    # month 1: nothing lost (owed), month 2: 2 lost, month 3: backorder shipped
    assert unserved_demand(_plan()).tolist() == [0.0, 2.0, 0.0]


def test_a_backorder_still_owed_at_the_horizon_end_is_unserved():
    plan = _plan()
    plan.loc[2, ["production", "unmet_demand", "backorder"]] = [0.0, 10.0, 10.0]
    assert unserved_demand(plan).sum() == pytest.approx(2.0 + 10.0)


def test_financial_plan_values_new_demand_not_carried_backorders():
    items = factories.items(["A"], family="F", unit_price=4.0, unit_cost=1.0)
    demand_plan = _plan()[["sku", "month", "demand"]]
    finance = build_financial_plan(_plan(), demand_plan, items, None)
    # 15 units arise over the horizon (10 backlog + 5 forecast), 13 ship (3 + 10)
    assert finance["unconstrained_revenue"].sum() == pytest.approx(15 * 4.0)
    assert finance["revenue"].sum() == pytest.approx(13 * 4.0)


def test_fill_rate_counts_a_carried_backorder_once():
    # 15 units arise, 2 are lost; the raw columns would give 1 - 22 / 35
    assert fill_rate(_plan()) == pytest.approx(1.0 - 2.0 / 15.0)
    assert fill_rate(_plan().iloc[0:0]) == 1.0
