"""Demand plan on the hand-computed demand case (sop_pipeline_tests.cases.demand): family F1 (A,
B, new SKU N launching in February), family F2 (X, new M), regions NORTH and SOUTH, cycle
January 2025 over three months."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sop_pipeline.core.demand.plan import PLAN_COLUMNS, plan_demand
from sop_pipeline_tests.cases.demand import CYCLE, FEB, JAN, MAR, cell, items, statistical_forecast

LAYERS = ["statistical", "event_uplift", "pipeline", "new_product", "override"]


def promotions() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "event_id": ["E1", "E2"],
            "sku": ["", "X"],
            "family": ["F1", None],
            "region": [None, "NORTH"],
            "start_month": ["2025-02", "2025-03"],
            "end_month": ["2025-02", "2025-03"],
            "uplift_pct": [20.0, -50.0],
        }
    )


def crm_pipeline() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "opportunity_id": ["O1", "O2", "O3", "O4", "O5"],
            "sku": ["A", "", "B", "A", "A"],
            "family": ["", "F1", "", "", ""],
            "region": ["NORTH", "NORTH", "NORTH", "WEST", "NORTH"],
            "expected_month": ["2025-03", "2025-01", "2025-02", "2025-01", "2025-07"],
            "quantity": [200.0, 300.0, 20.0, 10.0, 500.0],
            "probability": [0.5, 0.5, 0.5, 1.0, 0.9],
            "stage": ["proposal"] * 5,
        }
    )


def demand_overrides() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sku": ["A", "X", "A", "Q"],
            "region": ["NORTH", "NORTH", "NORTH", "NORTH"],
            "month": ["2025-01", "2025-02", "2025-08", "2025-01"],
            "override_quantity": [120.0, np.nan, 1.0, 5.0],
            "adjustment_pct": [np.nan, 10.0, np.nan, np.nan],
            "author": ["li.wei"] * 4,
            "reason": ["tender"] * 4,
        }
    )


@pytest.fixture(scope="module")
def plan() -> pd.DataFrame:
    return plan_demand(
        statistical_forecast(), items(), CYCLE, promotions(), crm_pipeline(), demand_overrides()
    ).plan


def test_grain_columns_and_known_skus_only(plan: pd.DataFrame) -> None:
    assert list(plan.columns) == PLAN_COLUMNS
    assert not plan.duplicated(["sku", "region", "month"]).any()
    assert set(plan["sku"]) == {"A", "B", "N", "X"}  # no Z (unknown), no M (launch too late)
    assert set(plan["month"]) == {JAN, FEB, MAR}


def test_event_uplift_by_family_and_by_sku(plan: pd.DataFrame) -> None:
    assert cell(plan, "A", "NORTH", FEB)["event_uplift"] == pytest.approx(20.0)
    assert cell(plan, "B", "NORTH", FEB)["event_uplift"] == pytest.approx(10.0)
    assert cell(plan, "A", "SOUTH", FEB)["event_uplift"] == pytest.approx(8.0)  # blank region
    assert cell(plan, "A", "NORTH", MAR)["event_uplift"] == 0.0
    assert cell(plan, "X", "NORTH", MAR)["event_uplift"] == pytest.approx(-5.0)
    assert cell(plan, "N", "NORTH", FEB)["event_uplift"] == 0.0  # new product not uplifted


def test_pipeline_counts_weighted_deals_above_half_the_forecast(plan: pd.DataFrame) -> None:
    assert cell(plan, "A", "NORTH", MAR)["pipeline"] == pytest.approx(100.0 - 50.0)
    # family deal 150 weighted, split 100:50 by forecast, less half of each forecast
    assert cell(plan, "A", "NORTH", JAN)["pipeline"] == pytest.approx(100.0 - 50.0)
    assert cell(plan, "B", "NORTH", JAN)["pipeline"] == pytest.approx(50.0 - 25.0)
    assert cell(plan, "B", "NORTH", FEB)["pipeline"] == 0.0  # 10 weighted, within baseline
    west = cell(plan, "A", "WEST", JAN)  # no forecast there: the deal counts in full
    assert (west["statistical"], west["pipeline"], west["demand"]) == (0.0, 10.0, 10.0)


def test_new_product_ramps_up_on_the_family_average(plan: pd.DataFrame) -> None:
    new = plan[plan["sku"] == "N"].set_index(["region", "month"])["new_product"]
    assert new.to_dict() == pytest.approx(
        {
            ("NORTH", FEB): 0.5 * 75.0,  # (A 100 + B 50) / 2 SKUs
            ("NORTH", MAR): 0.75 * 75.0,
            ("SOUTH", FEB): 0.5 * 40.0,
            ("SOUTH", MAR): 0.75 * 40.0,
        }
    )


def test_overrides_absolute_and_percentage(plan: pd.DataFrame) -> None:
    absolute = cell(plan, "A", "NORTH", JAN)
    assert absolute["override"] == pytest.approx(120.0 - 150.0)
    assert absolute["demand"] == pytest.approx(120.0)
    pct = cell(plan, "X", "NORTH", FEB)
    assert (pct["override"], pct["demand"]) == pytest.approx((1.0, 11.0))
    assert plan.loc[plan["sku"] != "A", "override"].drop(pct.name).eq(0.0).all()


def test_demand_is_the_sum_of_layers_and_never_negative(plan: pd.DataFrame) -> None:
    assert plan["demand"].to_numpy() == pytest.approx(plan[LAYERS].sum(axis=1).to_numpy())
    assert (plan["demand"] >= 0).all()


def test_stacked_cuts_floor_at_zero() -> None:
    cuts = pd.DataFrame(
        {
            "event_id": ["C1", "C2"],
            "sku": ["X", "X"],
            "region": ["NORTH", ""],
            "start_month": [JAN, JAN],
            "end_month": [JAN, JAN],
            "uplift_pct": [-80.0, -60.0],
        }
    )
    plan = plan_demand(statistical_forecast(), items(), CYCLE, cuts, None, None).plan
    row = cell(plan, "X", "NORTH", JAN)
    assert (row["event_uplift"], row["demand"]) == (-10.0, 0.0)
    assert plan["demand"].to_numpy() == pytest.approx(plan[LAYERS].sum(axis=1).to_numpy())


def test_without_optional_inputs_only_forecast_and_new_products() -> None:
    plan = plan_demand(statistical_forecast(), items(), CYCLE, None, None, None).plan
    assert (plan[["event_uplift", "pipeline", "override"]] == 0.0).all().all()
    assert plan["demand"].sum() == pytest.approx(3 * 200.0 + 0.5 * 115.0 + 0.75 * 115.0)
    empty = plan_demand(statistical_forecast().iloc[0:0], items(), CYCLE, None, None, None).plan
    assert empty.empty and list(empty.columns) == PLAN_COLUMNS


def test_new_product_launched_before_the_cycle_starts_at_the_cycle_mid_ramp() -> None:
    launched = items()
    launched.loc[launched["sku"] == "N", "launch_date"] = pd.Timestamp("2024-12-15")
    plan = plan_demand(statistical_forecast(), launched, CYCLE, None, None, None).plan
    new = plan[(plan["sku"] == "N") & (plan["region"] == "NORTH")].set_index("month")
    # launched in December without sales yet: January is its second month (75 %)
    assert new["new_product"].to_dict() == pytest.approx({JAN: 0.75 * 75.0, FEB: 75.0, MAR: 75.0})


def test_family_deal_splits_equally_when_the_family_forecasts_zero() -> None:
    zero_family = items()
    zero_family.loc[zero_family["sku"] == "M", "status"] = "active"
    forecast = pd.DataFrame(
        {
            "sku": ["X", "M"],
            "region": ["NORTH", "NORTH"],
            "month": [JAN, JAN],
            "forecast": [0.0, 0.0],
        }
    )
    deal = pd.DataFrame(
        {
            "sku": [""],
            "family": ["F2"],
            "region": ["NORTH"],
            "expected_month": ["2025-01"],
            "quantity": [100.0],
            "probability": [0.5],
        }
    )
    plan = plan_demand(forecast, zero_family, CYCLE, None, deal, None).plan
    pipeline = plan.set_index("sku")["pipeline"]
    assert pipeline.to_dict() == pytest.approx({"X": 25.0, "M": 25.0})
