"""The true cause of every unmet-demand exception, one hand-checked case per cause, frozen-zone
conflicts with what unfreezing saves, and the time preference that puts unavoidable losses
where supply runs out. Lost sale of the default item: (10 - 5) margin + 5 penalty = 10, made
1 % dearer per month before the horizon's last (time preference)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sop_pipeline.core.supply.wording import amount
from sop_pipeline_tests.core.test_supply_lp import random_instance, to_inputs
from sop_pipeline_tests.factories import TOL, assert_feasible, months, plan, series, supply_inputs


def unmet(inputs, frozen_months: int = 3) -> pd.DataFrame:  # noqa: ANN001 - SupplyInputs
    review = plan(inputs, frozen_months)
    assert_feasible(review, inputs)
    return review.exceptions.query("kind == 'unmet_demand'").reset_index(drop=True)


def test_lead_time_cause() -> None:
    short = unmet(supply_inputs({"A": [10.0, 10.0, 10.0]}, lead={"A": 2}))
    assert list(short["cause"]) == ["lead_time", "lead_time"]
    assert short["message"].iloc[0] == (
        "A misses 10 units in 2026-01: it is inside the lead time: production started now "
        "arrives from 2026-03 (lead time 2 months). This is inside the 3-month frozen zone."
    )


def test_capacity_cause_with_overtime_dearer_than_the_sale() -> None:
    """R makes 6 of 10; its overtime costs 12 an hour, more than the sale (10)."""
    short = unmet(
        supply_inputs({"A": [10.0]}, {"R": [6.0]}, [("A", "R", 1.0)], overtime={"R": (3.0, 12.0)})
    )
    assert list(short["cause"]) == ["capacity"]
    assert short["quantity"].iloc[0] == pytest.approx(4.0)
    assert short["shadow_price"].iloc[0] == pytest.approx(10.0)
    assert short["message"].iloc[0] == (
        "A misses 4 units in 2026-01: R (an extra hour is worth 10.00) is at capacity; 3 overtime "
        "hours are left on R but cost more than the sale. This is inside the 3-month frozen zone."
    )


def test_overtime_exhausted_cause() -> None:
    """Overtime at 1 an hour is used up (2 hours), and 2 units are still lost."""
    short = unmet(
        supply_inputs({"A": [10.0]}, {"R": [6.0]}, [("A", "R", 1.0)], overtime={"R": (2.0, 1.0)})
    )
    assert list(short["cause"]) == ["overtime_exhausted"]
    assert short["quantity"].iloc[0] == pytest.approx(2.0)
    assert (
        short["message"]
        .iloc[0]
        .startswith(
            "A misses 2 units in 2026-01: R (an extra hour is worth 10.00) is at capacity; all 2 "
            "overtime hours of R are used."
        )
    )


def test_zero_capacity_cause() -> None:
    short = unmet(supply_inputs({"A": [5.0, 5.0]}, {"DOWN": [0.0, 10.0]}, [("A", "DOWN", 1.0)]))
    assert list(short["cause"]) == ["zero_capacity"]
    assert short["message"].iloc[0].startswith("A misses 5 units in 2026-01: DOWN has no hours")


def frozen_case() -> pd.DataFrame:
    """A was firm at 4 units in January and nothing in February (its MPS row is in April), with
    100 free hours a month: January loses 6 and February 10 to the freeze, March is free."""
    previous_mps = pd.DataFrame(
        {
            "sku": ["A", "A"],
            "month": [months(4)[0], months(4)[3]],
            "quantity": [4.0, 5.0],
            "firm": [True, False],
        }
    )
    inputs = supply_inputs(
        {"A": [10.0] * 3}, {"R": [100.0] * 3}, [("A", "R", 1.0)], previous_mps=previous_mps
    )
    review = plan(inputs, frozen_months=3)
    assert_feasible(review, inputs)
    np.testing.assert_allclose(series(review, "A", "production"), [4.0, 0.0, 10.0], atol=TOL)
    return review.exceptions


def test_frozen_zone_cause_is_not_capacity() -> None:
    exceptions = frozen_case()
    short = exceptions.query("kind == 'unmet_demand'")
    assert list(short["cause"]) == ["frozen_zone", "frozen_zone"]
    np.testing.assert_allclose(short["quantity"], [6.0, 10.0])
    assert short["resource"].isna().all()  # R has 96 free hours: no resource is named
    assert (
        short["message"]
        .iloc[0]
        .startswith(
            "A misses 6 units in 2026-01: the frozen zone pins production started in 2026-01 at 4 "
            "units (previous firm MPS); one more unit there would save 10.20."
        )
    )


def test_frozen_zone_conflict_names_units_margin_and_saving() -> None:
    """Unfreezing recovers 16 units (margin 5 each = 80) and saves 6 x 10.2 + 10 x 10.1."""
    conflict = frozen_case().query("kind == 'frozen_zone_conflict'")
    assert len(conflict) == 1
    row = conflict.iloc[0]
    assert (row["sku"], row["month"], row["quantity"]) == ("A", months(1)[0], pytest.approx(16.0))
    assert row["message"] == (
        "A loses 16 units because the previous firm MPS pins its production (2026-01 at 4, "
        "2026-02 at 0); unfreezing its firm months would recover 16 units (margin 80) and save "
        "162 of plan cost."
    )


@pytest.mark.parametrize("seed", range(8))
def test_every_cause_is_one_the_lp_shows(seed: int) -> None:
    """Random instances (pins, lead times, overtime): never a shortage without a binding
    constraint, and a named resource always has a positive shadow price."""
    short = unmet(to_inputs(random_instance(seed)))
    assert "no_binding_constraint" not in set(short["cause"])
    named = short.dropna(subset=["resource"])
    assert (named["shadow_price"] > 0).all()
    assert not short["message"].str.contains("misses 0 units").any()


def test_unavoidable_losses_fall_in_the_last_months() -> None:
    """20 on hand, no capacity, 10 a month for 3 months and a safety stock: January and
    February are served, March (where stock runs out) loses 10; no earlier loss to keep the
    safety stock."""
    inputs = supply_inputs(
        {"A": [10.0] * 3},
        {"R": [0.0] * 3},
        [("A", "R", 1.0)],
        on_hand={"A": 20.0},
        sigma={"A": 3.0},
    )
    review = plan(inputs)
    np.testing.assert_allclose(series(review, "A", "unmet_demand"), [0.0, 0.0, 10.0], atol=TOL)


@pytest.mark.parametrize(
    ("value", "text"),
    [(1234.4, "1,234"), (12.34, "12.3"), (4.0, "4"), (0.42, "0.42"), (0.004, "0.004")],
)
def test_amounts_are_rounded_but_never_zero(value: float, text: str) -> None:
    assert amount(value) == text
