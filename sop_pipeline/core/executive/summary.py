"""The KPI summary the command line prints after a cycle: the baseline's headline KPIs with
their change against the previous cycle, what changed in the plan, and the approval status.
Ratios read as percentages, money with its currency; names, units and directions come from the
KPI definitions."""

from __future__ import annotations

import pandas as pd

from sop_pipeline.core.executive.kpi import Direction, kpi_definition, kpi_summary
from sop_pipeline.core.executive.pack.formatting import (
    format_change,
    format_value,
    money,
    percent,
    units,
)
from sop_pipeline.core.executive.pack.units_sections import CAUSE_LABELS
from sop_pipeline.core.implementation.approval import approval_status
from sop_pipeline.core.tables.executive import DEMAND_CAUSES


def shown_value(value: float, unit: str, currency: str) -> str:
    """A KPI value for reading: percentages for ratios, money with its currency."""
    if unit == "ratio":
        return percent(value)
    if unit == "currency":
        return money(value, currency)
    return format_value(value, unit)


def summary_lines(
    kpi: pd.DataFrame,
    previous_kpi: pd.DataFrame | None,
    plan_changes: pd.DataFrame | None,
    plan_approvals: pd.DataFrame | None,
    cycle: pd.Timestamp,
    currency: str,
) -> list[str]:
    """The lines of the summary, header first."""
    summary = kpi_summary(kpi) if not kpi.empty else kpi
    before: dict[str, float] = {}
    if previous_kpi is not None and not previous_kpi.empty:
        prior = kpi_summary(previous_kpi)
        before = dict(zip(prior["kpi"], prior["value"].astype(float), strict=True))
    lines = [f"KPI summary, cycle {cycle:%Y-%m} (baseline, total; money in {currency})"]
    for name, value in zip(summary.get("kpi", []), summary.get("value", []), strict=True):
        kpi_def = kpi_definition(str(name))
        shown = shown_value(float(value), kpi_def.unit, currency)
        change = (
            format_change(float(value), before[name], kpi_def.unit) if name in before else "n/a"
        )
        good = "" if kpi_def.direction is Direction.NEUTRAL else f"  ({kpi_def.direction.reads})"
        lines.append(f"  {kpi_def.name:<34} {kpi_def.label:<38} {shown:>12}  {change:>10}{good}")
    lines.append(f"Plan vs previous cycle: {_plan_change(plan_changes, currency)}")
    lines.append(f"Approval: {approval_status(plan_approvals)}")
    return lines


def _plan_change(plan_changes: pd.DataFrame | None, currency: str) -> str:
    if plan_changes is None or plan_changes.empty:
        return "no previous cycle's plan to compare"
    causes = ", ".join(
        f"{CAUSE_LABELS[c].lower()} {units(plan_changes[f'demand_change_{c}'].sum(), True)}"
        for c in DEMAND_CAUSES
    )
    demand = units(plan_changes["demand_change"].sum(), signed=True)
    revenue = money(plan_changes["revenue_change"].sum(), currency, signed=True)
    return f"demand {demand} units ({causes}); revenue {revenue}"
