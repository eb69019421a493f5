"""Scheduled receipts: open production orders arrive in their due month, the previous cycle's
production already started is work in progress, and each supply_plan row balances with them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sop_pipeline.core.supply.receipts import scheduled_receipts
from sop_pipeline_tests.factories import (
    SUPPLY_CYCLE,
    TOL,
    assert_feasible,
    items,
    months,
    plan,
    series,
    supply_inputs,
)

DECEMBER = pd.Timestamp("2025-12-01")


def production_orders() -> pd.DataFrame:
    """One finished order, one open order due in February, one open without any date."""
    return pd.DataFrame(
        {
            "order_id": ["MO1", "MO2", "MO3"],
            "sku": ["A", "A", "B"],
            "start_date": pd.to_datetime(["2025-11-03", "2025-12-10", "2025-12-20"]),
            "finish_date": pd.to_datetime(["2025-12-15", None, None]),
            "quantity": [50.0, 10.0, 4.0],
            "due_date": pd.to_datetime([None, "2026-02-20", None]),
        }
    )


def previous_plan() -> pd.DataFrame:
    """December's plan: A and C started in December, C also had a receipt due in January."""
    return pd.DataFrame(
        {
            "scenario": "baseline",
            "sku": ["A", "C", "C", "C"],
            "month": [DECEMBER, DECEMBER, SUPPLY_CYCLE, months(2)[1]],
            "production": [7.0, 3.0, 1.0, 0.0],
            "receipts": [0.0, 0.0, 2.0, 0.0],
        }
    )


def test_open_orders_arrive_in_their_due_month_and_replace_the_previous_wip() -> None:
    receipts = scheduled_receipts(
        production_orders(),
        previous_plan(),
        items(["A", "B", "C"], lead_time_months=2),
        SUPPLY_CYCLE,
    )
    found = {(r.sku, r.month, r.quantity) for r in receipts.itertuples()}
    assert found == {
        ("A", months(2)[1], 10.0),  # open order due in February; A's December WIP is ignored
        ("B", SUPPLY_CYCLE, 4.0),  # open, no date: due now
        ("C", months(2)[1], 3.0),  # started in December, lead time 2
        ("C", SUPPLY_CYCLE, 2.0),  # earlier work in progress still due in January
    }


def test_a_firm_order_due_inside_the_lead_time_is_no_longer_lost() -> None:
    """Lead time 2: January and February cannot be made now; the 10 units started in December
    (the previous firm MPS) arrive in February and serve it."""
    receipts = scheduled_receipts(
        None, previous_plan(), items(["A"], lead_time_months=2), SUPPLY_CYCLE
    )
    in_transit = receipts[receipts["sku"] == "A"].assign(quantity=10.0)
    inputs = supply_inputs({"A": [10.0] * 4}, lead={"A": 2}, receipts=in_transit)
    review = plan(inputs)
    assert_feasible(review, inputs)
    np.testing.assert_allclose(series(review, "A", "receipts"), [0, 10, 0, 0])
    np.testing.assert_allclose(series(review, "A", "unmet_demand"), [10, 0, 0, 0], atol=TOL)
    short = review.exceptions.query("kind == 'unmet_demand'")
    assert list(short["cause"]) == ["lead_time"]


def test_every_row_reads_opening_plus_receipts_plus_arrivals_minus_shipments() -> None:
    """The identity on every row of a plan with stock, receipts, lead times and a capacity."""
    receipts = pd.DataFrame(
        {
            "sku": ["A", "B", "B"],
            "month": [months(3)[0], months(3)[1], months(3)[2]],
            "quantity": [5.0, 8.0, 1.5],
        }
    )
    inputs = supply_inputs(
        {"A": [10.0, 12.0, 9.0, 11.0], "B": [6.0, 6.0, 6.0, 6.0]},
        {"R": [10.0] * 4},
        [("A", "R", 1.0), ("B", "R", 0.5)],
        lead={"A": 1, "B": 0},
        on_hand={"A": 4.0, "B": 2.0},
        receipts=receipts,
    )
    review = plan(inputs)
    assert_feasible(review, inputs)  # checks the identity row by row
    plan_rows = review.supply_plan.set_index(["sku", "month"])
    assert plan_rows.loc[("B", months(3)[1]), "receipts"] == 8.0
    assert plan_rows.loc[("A", months(1)[0]), "opening_inventory"] == 4.0
