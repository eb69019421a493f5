"""The approval of a scenario on the finance case: what it releases, records and decides, and
which MPS the next cycle pins."""

from __future__ import annotations

import pandas as pd
import pytest

from sop_pipeline.core.implementation.approval import (
    ApprovalError,
    approval_status,
    approve_plan,
    latest_approval,
    plan_fingerprint,
)
from sop_pipeline.core.implementation.mps import build_mps
from sop_pipeline.core.supply.inputs import pinned_mps, released_plan
from sop_pipeline_tests.cases import finance

WHEN = pd.Timestamp("2026-03-05 14:02:00", tz="Europe/Berlin")


def _conflict() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "scenario": ["cap_cut", "baseline"],
            "kind": ["frozen_zone_conflict", "capacity_overload"],
            "sku": ["B", None],
            "month": [finance.APR, finance.MAY],
            "message": ["B loses 5 units because the previous firm MPS pins it", "overload"],
        }
    )


def test_an_approval_releases_the_chosen_scenario_and_records_its_decisions() -> None:
    plan = finance.supply_plan()
    approval = approve_plan(plan, _conflict(), finance.CYCLE, "cap_cut", " CFO ", WHEN, "tight")
    row = approval.approval.iloc[0]
    assert row["approved_at"] == "2026-03-05T13:02:00Z"  # stored in UTC
    assert row["approved_by"] == "CFO"
    assert approval.approval_id == "2026-03/2026-03-05T13:02:00Z/cap_cut"
    expected = build_mps(plan, finance.CYCLE, scenario="cap_cut")
    released = approval.released_mps
    pd.testing.assert_series_equal(released["quantity"], expected["quantity"])
    assert set(released["scenario"]) == {"cap_cut"}
    assert row["plan_fingerprint"] == plan_fingerprint(expected)
    decisions = approval.decisions
    assert list(decisions["topic"]) == ["scenario_choice", "frozen_zone_conflict"]
    assert decisions["decision"].iloc[0] == "release the MPS of scenario cap_cut to ERP (tight)"
    assert list(decisions["due"]) == [finance.CYCLE, finance.APR]  # the baseline's is not acted on


def test_the_fingerprint_ignores_row_order_and_sees_a_changed_quantity() -> None:
    mps = build_mps(finance.supply_plan(), finance.CYCLE)
    assert plan_fingerprint(mps) == plan_fingerprint(mps.iloc[::-1])
    changed = mps.copy()
    changed.loc[0, "quantity"] += 1.0
    assert plan_fingerprint(changed) != plan_fingerprint(mps)


def test_an_unknown_scenario_or_no_approver_is_refused() -> None:
    plan = finance.supply_plan()
    with pytest.raises(ApprovalError, match="no scenario 'x'; its scenarios: baseline, cap_cut"):
        approve_plan(plan, _conflict(), finance.CYCLE, "x", "CFO", WHEN)
    with pytest.raises(ApprovalError, match="--by"):
        approve_plan(plan, _conflict(), finance.CYCLE, "baseline", "  ", WHEN)
    with pytest.raises(ApprovalError, match="no supply plan"):
        approve_plan(plan.iloc[:0], _conflict(), finance.CYCLE, "baseline", "CFO", WHEN)


def test_the_latest_approval_wins_and_the_status_says_who_and_when() -> None:
    plan = finance.supply_plan()
    first = approve_plan(plan, _conflict(), finance.CYCLE, "baseline", "CEO", WHEN).approval
    later = WHEN + pd.Timedelta(hours=1)
    second = approve_plan(plan, _conflict(), finance.CYCLE, "cap_cut", "COO", later).approval
    history = pd.concat([second, first], ignore_index=True)
    assert latest_approval(history)["scenario"] == "cap_cut"
    assert approval_status(history) == (
        "released: scenario cap_cut approved by COO on 2026-03-05 14:02:00 UTC"
    )
    assert approval_status(history.iloc[:0]).startswith("proposed")


def test_the_next_cycle_pins_the_released_mps_else_the_proposed_baseline() -> None:
    plan = finance.supply_plan()
    approval = approve_plan(plan, _conflict(), finance.CYCLE, "cap_cut", "CFO", WHEN)
    following = pd.Timestamp("2026-04-01")
    pinned = pinned_mps(plan, approval.released_mps, following, 3)
    assert pinned is not None
    pd.testing.assert_frame_equal(pinned, approval.released_mps[list(pinned.columns)])
    baseline = pinned_mps(plan, None, following, 3)
    assert baseline is not None
    pd.testing.assert_frame_equal(baseline, build_mps(plan, finance.CYCLE))
    assert pinned_mps(None, None, following, 3) is None
    # the work in progress follows the released scenario's plan, in the baseline's place
    wip_plan = released_plan(plan, approval.released_mps)
    assert wip_plan is not None and set(wip_plan["scenario"]) == {"baseline"}
    cap_cut = plan[plan["scenario"] == "cap_cut"]
    assert wip_plan["production"].tolist() == cap_cut["production"].tolist()
