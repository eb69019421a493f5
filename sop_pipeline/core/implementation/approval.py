"""The executive S&OP's decision as data: which scenario's MPS is released, by whom, and what
was decided with it.

An approval of cycle C names a scenario of C's supply plan. It adds one `plan_approvals` row
(never replacing an earlier one: a re-approval of another scenario is a new row, the latest
`approved_at` wins), makes that scenario's MPS the cycle's `released_mps` (the one the next
cycle's frozen zone pins, and `reports/<cycle>/mps.csv`), and records the `decisions` it
implies: the scenario choice itself, and each frozen-zone conflict of the chosen scenario,
whose loss the meeting accepts by keeping the firm MPS.

The plan fingerprint is a SHA-256 of the released MPS rows (sku, month, quantity, firm): if the
cycle is re-planned after the approval, a different fingerprint shows the approved plan is no
longer the one proposed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd

from sop_pipeline.core.calendar import month_start
from sop_pipeline.core.implementation.mps import RELEASED, build_mps
from sop_pipeline.core.tables import row_columns

APPROVAL_COLUMNS = row_columns("plan_approvals")
RELEASED_COLUMNS = row_columns("released_mps")
DECISION_COLUMNS = row_columns("decisions")
ACTED_ON = ("frozen_zone_conflict",)  # exception kinds an approval decides on


class ApprovalError(ValueError):
    """The approval names nothing that can be released (no plan, an unknown scenario)."""


@dataclass(frozen=True)
class Approval:
    """One approval: its `plan_approvals` row, the `released_mps` and the `decisions` rows."""

    approval: pd.DataFrame
    released_mps: pd.DataFrame
    decisions: pd.DataFrame

    @property
    def approval_id(self) -> str:
        return str(self.approval["approval_id"].iloc[0])


def plan_fingerprint(mps: pd.DataFrame) -> str:
    """SHA-256 (hex) of the MPS rows, independent of row order and of float noise below 1e-6."""
    rows = mps.sort_values(["sku", "month"])
    lines = [
        f"{sku}|{pd.Timestamp(month):%Y-%m}|{float(quantity):.6f}|{bool(firm)}"
        for sku, month, quantity, firm in zip(
            rows["sku"], rows["month"], rows["quantity"], rows["firm"], strict=True
        )
    ]
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def approve_plan(
    supply_plan: pd.DataFrame,
    exceptions: pd.DataFrame,
    cycle: pd.Timestamp,
    scenario: str,
    approved_by: str,
    approved_at: pd.Timestamp,
    note: str = "",
    frozen_months: int = 3,
) -> Approval:
    """The approval of `scenario` of the cycle's supply plan (rows of one cycle)."""
    cycle = month_start(cycle)
    if not approved_by.strip():
        raise ApprovalError("an approval needs the name of who approved (--by)")
    scenarios = sorted(supply_plan["scenario"].astype(str).unique())
    if not scenarios:
        raise ApprovalError(f"cycle {cycle:%Y-%m} has no supply plan to approve: run it first")
    if scenario not in scenarios:
        raise ApprovalError(
            f"cycle {cycle:%Y-%m} has no scenario {scenario!r}; its scenarios: "
            + ", ".join(scenarios)
        )
    mps = build_mps(supply_plan, cycle, frozen_months, scenario=scenario)
    when = pd.Timestamp(approved_at)
    when = when.tz_convert("UTC").tz_localize(None) if when.tzinfo is not None else when
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    approval_id = f"{cycle:%Y-%m}/{stamp}/{scenario}"
    fingerprint = plan_fingerprint(mps)
    approval = pd.DataFrame(
        [[approval_id, scenario, approved_by.strip(), stamp, note, fingerprint]],
        columns=APPROVAL_COLUMNS,
    )
    released = mps.drop(columns="status").assign(scenario=scenario, approval_id=approval_id)
    decisions = _decisions(exceptions, cycle, scenario, approved_by.strip(), note, approval_id)
    return Approval(approval, released[RELEASED_COLUMNS], decisions)


def _decisions(
    exceptions: pd.DataFrame,
    cycle: pd.Timestamp,
    scenario: str,
    owner: str,
    note: str,
    approval_id: str,
) -> pd.DataFrame:
    """The scenario choice, due at the cycle's start, and one decision per acted-on exception
    of the chosen scenario, due in the exception's month."""
    choice = f"release the MPS of scenario {scenario} to ERP" + (f" ({note})" if note else "")
    rows = [("scenario_choice", scenario, choice, owner, cycle)]
    chosen = exceptions[
        (exceptions["scenario"].astype(str) == scenario) & exceptions["kind"].isin(ACTED_ON)
    ]
    for kind, sku, month, message in zip(
        chosen["kind"], chosen["sku"], chosen["month"], chosen["message"], strict=True
    ):
        decision = f"keep the firm MPS and accept the loss: {message}"
        rows.append((str(kind), str(sku), decision, owner, month_start(month)))
    frame = pd.DataFrame(rows, columns=["topic", "subject", "decision", "owner", "due"])
    frame["due"] = pd.to_datetime(frame["due"])
    return frame.assign(scenario=scenario, approval_id=approval_id)[DECISION_COLUMNS]


def latest_approval(plan_approvals: pd.DataFrame) -> pd.Series | None:
    """The approval in force (the latest `approved_at`), None while the cycle is proposed."""
    if plan_approvals is None or plan_approvals.empty:
        return None
    ordered = plan_approvals.sort_values(["approved_at", "approval_id"], kind="stable")
    return ordered.iloc[-1]


def approval_status(plan_approvals: pd.DataFrame | None) -> str:
    """`proposed`, or `released: <scenario> approved by <who> on <when>` for the pack and CLI."""
    latest = latest_approval(plan_approvals) if plan_approvals is not None else None
    if latest is None:
        return "proposed (not yet approved)"
    when = str(latest["approved_at"]).replace("T", " ").rstrip("Z")
    who = latest["approved_by"]
    return f"{RELEASED}: scenario {latest['scenario']} approved by {who} on {when} UTC"
