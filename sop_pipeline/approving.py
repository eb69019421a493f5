"""What `sop approve` does, kept apart from argument parsing (cli.py): the executive S&OP's
approval of a planned cycle recorded outside any run (docs/supply.md, "Frozen MPS")."""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

from sop_pipeline.core.calendar import month_key


def approve_cycle(
    cycle: pd.Timestamp,
    scenario: str,
    approved_by: str,
    note: str,
    warehouse_url: str,
    reports: Path,
    frozen_months: int = 3,
) -> None:
    """Record the executive S&OP's approval of a scenario of a planned cycle and release its
    MPS (warehouse tables and reports/<cycle>/mps.csv)."""
    from sop_pipeline.core.implementation.approval import ApprovalError, approve_plan
    from sop_pipeline.defs.resources import WarehouseResource
    from sop_pipeline.io.approvals import read_table, record_approval

    # the schema the cycles wrote ($SOP_SCHEMA, else sop), as `sop run` resolves it
    warehouse = WarehouseResource(url=warehouse_url).warehouse()
    earlier = read_table(warehouse, "plan_approvals", cycle)
    try:
        approval = approve_plan(
            read_table(warehouse, "supply_plan", cycle),
            read_table(warehouse, "exceptions", cycle),
            cycle,
            scenario,
            approved_by,
            pd.Timestamp.now(tz="UTC"),
            note,
            frozen_months,
        )
    except ApprovalError as exc:
        raise click.ClickException(str(exc)) from None
    path = record_approval(warehouse, cycle, approval, reports)
    released = approval.released_mps
    firm = float(released.loc[released["firm"], "quantity"].sum())
    click.echo(
        f"cycle {month_key(cycle)}: scenario {scenario} approved by {approved_by}; "
        f"{len(released)} MPS rows released (firm quantity {firm:,.0f}), "
        f"{len(approval.decisions)} decision(s) recorded"
    )
    fingerprint = approval.approval["plan_fingerprint"].iloc[0]
    click.echo(f"plan fingerprint {fingerprint[:12]}; approvals of the cycle: {len(earlier) + 1}")
    click.echo(f"released MPS: {path.resolve()}")
    pack = _pack_with_approval(warehouse_url, cycle, reports)
    if pack is not None:
        click.echo(f"meeting pack (approval status updated): {pack.resolve()}")


def _pack_with_approval(warehouse_url: str, cycle: pd.Timestamp, reports: Path) -> Path | None:
    """The cycle's published meeting pack drawn again, now showing the approval; None when the
    cycle has no published pack."""
    from sop_pipeline.io.reports import PACK_FILE, write_sop_pack

    if not (reports / month_key(cycle) / PACK_FILE).exists():
        return None
    from sop_pipeline.core.executive.pack import PackInputs, render_sop_pack
    from sop_pipeline.defs.executive.assets import pack_currency
    from sop_pipeline.defs.inputs import read_inputs
    from sop_pipeline.defs.resources import WarehouseResource

    inputs = read_inputs(PackInputs, WarehouseResource(url=warehouse_url), cycle)
    return write_sop_pack(render_sop_pack(inputs, cycle, pack_currency()), reports, cycle)
