"""What `sop approve` does, kept apart from argument parsing (cli.py): the executive S&OP's
approval of a planned cycle recorded outside any run (docs/supply.md, "Frozen MPS")."""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd


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
    MPS (warehouse tables and reports/<cycle>/mps.csv); say what was done."""
    from sop_pipeline.core.implementation.approval import ApprovalError
    from sop_pipeline.defs.implementation.approval import record_cycle_approval
    from sop_pipeline.defs.resources import WarehouseResource

    # the schema the cycles wrote ($SOP_SCHEMA, else sop), as `sop run` resolves it
    warehouse = WarehouseResource(url=warehouse_url)
    try:
        lines = record_cycle_approval(
            cycle, scenario, approved_by, note, warehouse, reports, frozen_months
        )
    except ApprovalError as exc:
        raise click.ClickException(str(exc)) from None
    for line in lines:
        click.echo(line)
