"""The executive S&OP's approval of a planned cycle, from `sop approve` or from Dagster.

An approval is recorded outside any planning run, straight into the published tables
(`plan_approvals`, `released_mps`, `decisions`) and `reports/<cycle>/mps.csv`. In Dagster it is
the `approve_plan` job, launched with its run config (the Launchpad):

    ops: {approve_scenario: {config: {cycle: "2026-11", scenario: high_demand,
                                      approved_by: "S&OP board", note: "..."}}}
"""

from pathlib import Path

import pandas as pd
from dagster import Config, Failure, OpExecutionContext, job, op
from pydantic import Field

from sop_pipeline.core.calendar import month_key, month_start
from sop_pipeline.core.implementation.approval import ApprovalError, approve_plan
from sop_pipeline.defs.resources import PlanningSettings, WarehouseResource


def record_cycle_approval(
    cycle: pd.Timestamp,
    scenario: str,
    approved_by: str,
    note: str,
    warehouse: WarehouseResource,
    reports: Path,
    frozen_months: int = 3,
) -> list[str]:
    """Record the approval of a scenario of a planned cycle and release its MPS; what to tell
    the person who approved. ApprovalError when the cycle or scenario has no plan. Files an
    earlier run left pending are settled first, so that none lands on the released MPS later."""
    from sop_pipeline.io.approvals import read_table, record_approval
    from sop_pipeline.io.pending_files import settle_pending_files

    tables = warehouse.warehouse()
    settled = settle_pending_files(reports, tables)
    earlier = read_table(tables, "plan_approvals", cycle)
    approval = approve_plan(
        read_table(tables, "supply_plan", cycle),
        read_table(tables, "exceptions", cycle),
        cycle,
        scenario,
        approved_by,
        pd.Timestamp.now(tz="UTC"),
        note,
        frozen_months,
    )
    path = record_approval(tables, cycle, approval, reports)
    released = approval.released_mps
    firm = float(released.loc[released["firm"], "quantity"].sum())
    fingerprint = approval.approval["plan_fingerprint"].iloc[0]
    lines = [
        *settled,
        f"cycle {month_key(cycle)}: scenario {scenario} approved by {approved_by}; "
        f"{len(released)} MPS rows released (firm quantity {firm:,.0f}), "
        f"{len(approval.decisions)} decision(s) recorded",
        f"plan fingerprint {fingerprint[:12]}; approvals of the cycle: {len(earlier) + 1}",
        f"released MPS: {path.resolve()}",
    ]
    pack = _pack_with_approval(warehouse, cycle, reports)
    if pack is not None:
        lines.append(f"meeting pack (approval status updated): {pack.resolve()}")
    return lines


def _pack_with_approval(
    warehouse: WarehouseResource, cycle: pd.Timestamp, reports: Path
) -> Path | None:
    """The cycle's published meeting pack drawn again, now showing the approval; None when the
    cycle has no published pack."""
    from sop_pipeline.core.executive.pack import PackInputs, render_sop_pack
    from sop_pipeline.defs.executive.assets import pack_currency
    from sop_pipeline.defs.inputs import read_inputs
    from sop_pipeline.io.reports import PACK_FILE, cycle_folder, write_sop_pack

    if not (reports / month_key(cycle) / PACK_FILE).exists():
        return None
    inputs = read_inputs(PackInputs, warehouse, cycle)
    html = render_sop_pack(inputs, cycle, pack_currency())
    return write_sop_pack(html, cycle_folder(reports, cycle))


class ApprovalConfig(Config):  # type: ignore[misc]
    """What the executive S&OP decided."""

    cycle: str = Field(description="the planned cycle, YYYY-MM")
    scenario: str = Field(description="the scenario approved, e.g. baseline")
    approved_by: str = Field(description="who approved (name or role)")
    note: str = Field(default="", description="the meeting's reason or conditions")


@op
def approve_scenario(
    context: OpExecutionContext,
    config: ApprovalConfig,
    warehouse: WarehouseResource,
    settings: PlanningSettings,
) -> None:
    """Record the approval and release the scenario's MPS, as `sop approve` does."""
    try:
        lines = record_cycle_approval(
            month_start(config.cycle),
            config.scenario,
            config.approved_by,
            config.note,
            warehouse,
            Path(settings.reports_dir),
            settings.frozen_months,
        )
    except (ApprovalError, ValueError) as exc:
        raise Failure(description=str(exc)) from None
    for line in lines:
        context.log.info(line)


@job(
    name="approve_plan",
    description="The executive S&OP's approval of a planned cycle: record it, release its MPS.",
)
def approve_plan_job() -> None:
    approve_scenario()
