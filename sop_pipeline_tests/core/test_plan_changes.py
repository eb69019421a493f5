"""`plan_changes` on the hand-computed case (sop_pipeline_tests/cases/plan_changes.py): every
cause as computed by hand, and on random plans the causes add up to each change."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from sop_pipeline.core.executive.plan_changes import COLUMNS, plan_changes
from sop_pipeline.core.tables.executive import DEMAND_CAUSES, REVENUE_CAUSES, SERVED_CAUSES
from sop_pipeline_tests.cases import plan_changes as case

# family, month: demand causes (statistical, events, pipeline, new_products, overrides),
# served causes (demand, constraints), revenue causes (demand, constraints, price_mix),
# production change; all by hand from the case's docstrings
EXPECTED = {
    ("F1", case.APR): ([5, -2, 3, 0, 1], [7, -2], [70, -20, 25], 5),
    ("F1", case.MAY): ([-2, 4, 0, 7, 0], [9, -7], [90, -70, 22], 2),
    # B: previous demand 5 - 10 floored at 0, this 6 - 2 = 4: the floor's -5 goes to overrides
    # (+8 - 5); no previous units, so this cycle's price (50) values the volume
    ("F2", case.APR): ([1, 0, 0, 0, 3], [4, 0], [200, 0, 0], 4),
}


def _row(changes: pd.DataFrame, family: str, month: pd.Timestamp) -> pd.Series:
    match = changes[(changes["family"] == family) & (changes["month"] == month)]
    assert len(match) == 1, (family, month)
    return match.iloc[0]


def test_each_change_is_split_into_its_causes_as_computed_by_hand() -> None:
    changes = plan_changes(case.inputs(), case.CYCLE)
    assert list(changes.columns) == COLUMNS
    assert {(f, m) for f, m in zip(changes["family"], changes["month"], strict=True)} == set(
        EXPECTED
    )  # March (previous only) and June (this cycle only) are not compared
    for (family, month), (demand, served, revenue, production) in EXPECTED.items():
        row = _row(changes, family, month)
        got = [row[f"demand_change_{c}"] for c in DEMAND_CAUSES]
        np.testing.assert_allclose(got, demand, atol=1e-9, err_msg=f"{family} {month}")
        got = [row[f"served_change_{c}"] for c in SERVED_CAUSES]
        np.testing.assert_allclose(got, served, atol=1e-9, err_msg=f"{family} {month}")
        got = [row[f"revenue_change_{c}"] for c in REVENUE_CAUSES]
        np.testing.assert_allclose(got, revenue, atol=1e-9, err_msg=f"{family} {month}")
        assert row["production_change"] == pytest.approx(production)
    f1_april = _row(changes, "F1", case.APR)
    assert (f1_april["demand_previous"], f1_april["demand"]) == (22.0, 29.0)
    assert (f1_april["revenue_previous"], f1_april["revenue"]) == (200.0, 275.0)


def test_a_first_cycle_has_no_changes() -> None:
    first = dataclasses.replace(case.inputs(), previous_demand_plan=None)
    assert plan_changes(first, case.CYCLE).empty


def _assert_adds_up(changes: pd.DataFrame) -> None:
    for measure, causes in (
        ("demand", DEMAND_CAUSES),
        ("served", SERVED_CAUSES),
        ("revenue", REVENUE_CAUSES),
    ):
        parts = sum(changes[f"{measure}_change_{cause}"] for cause in causes)
        np.testing.assert_allclose(parts, changes[f"{measure}_change"], atol=1e-6)
        np.testing.assert_allclose(
            changes[f"{measure}_change"], changes[measure] - changes[f"{measure}_previous"]
        )


@pytest.mark.parametrize("seed", range(5))
def test_on_random_plans_the_causes_add_up_to_each_change(seed: int) -> None:
    rng = np.random.default_rng(seed)
    base = case.inputs()

    def scramble(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
        noise = rng.uniform(-30, 60, size=(len(frame), len(columns)))
        return frame.assign(**{c: noise[:, i] for i, c in enumerate(columns)})

    layers = case.LAYERS
    demand = scramble(base.demand_plan, layers)
    previous = scramble(base.previous_demand_plan, layers)  # type: ignore[arg-type]
    random_inputs = dataclasses.replace(
        base,
        demand_plan=demand.assign(demand=demand[layers].sum(axis=1).clip(lower=0.0)),
        previous_demand_plan=previous.assign(demand=previous[layers].sum(axis=1).clip(lower=0)),
        supply_plan=base.supply_plan.assign(unmet_demand=rng.uniform(0, 5, len(base.supply_plan))),
        financial_plan=base.financial_plan.assign(
            revenue=rng.uniform(0, 500, len(base.financial_plan))
        ),
    )
    _assert_adds_up(plan_changes(random_inputs, case.CYCLE))
