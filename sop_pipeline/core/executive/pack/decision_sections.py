"""Meeting-pack sections that lead with the message: the headline, the budget-to-plan bridge,
the decisions to take with their cost, and the approval status."""

from __future__ import annotations

from html import escape

import pandas as pd

from sop_pipeline.core.calendar import month_label
from sop_pipeline.core.executive.pack.formatting import money, units
from sop_pipeline.core.executive.pack.message import (
    bridge,
    frozen_conflicts,
    headline,
    lost_margin,
    scenario_margins,
)
from sop_pipeline.core.executive.pack.page import no_data, note, section, table
from sop_pipeline.core.executive.pack.svg import waterfall_chart
from sop_pipeline.core.implementation.approval import approval_status, latest_approval
from sop_pipeline.core.names import BASELINE


def headline_section(
    financial_plan: pd.DataFrame,
    kpi_totals: dict[str, float],
    supply_plan: pd.DataFrame | None,
    exceptions: pd.DataFrame | None,
    currency: str,
) -> str:
    """Section `headline`: three sentences generated from the figures."""
    if financial_plan.empty:
        return section("headline", "The message", no_data("the cycle has no financial plan"))
    sentences = headline(financial_plan, kpi_totals, supply_plan, exceptions, currency)
    body = "".join(f"<li>{escape(s)}</li>" for s in sentences)
    return section("headline", "The message", f'<ol class="headline">{body}</ol>')


def bridge_section(financial_plan: pd.DataFrame, currency: str) -> str:
    """Section `bridge`: budget, demand gap, capacity loss, plan over the budgeted months."""
    sid, heading = "bridge", f"Budget to plan ({currency}, budgeted months)"
    figures = bridge(financial_plan) if not financial_plan.empty else None
    if figures is None:
        return section(sid, heading, no_data("no budget was sent for the plan's months"))
    steps = [
        ("Budget", figures.budget, True),
        ("Demand vs budget", figures.demand_gap, False),
        ("Capacity loss", figures.capacity_loss, False),
        ("Plan", figures.plan, True),
    ]
    rows = [[name, money(value, currency, signed=not total)] for name, value, total in steps]
    caption = (
        "Demand vs budget is the unconstrained demand's revenue less the budget (volume and "
        "price together: the budget has no units to split them); capacity loss is the demand "
        "the supply plan cannot serve."
    )
    chart = waterfall_chart(steps, "Budget to plan bridge")
    return section(sid, heading, chart, table(["Step", "Amount"], rows), note(caption))


def decisions_section(
    financial_plan: pd.DataFrame,
    exceptions: pd.DataFrame | None,
    resource_load: pd.DataFrame | None,
    resources: pd.DataFrame | None,
    currency: str,
) -> str:
    """Section `decisions`: the decisions to take, each with its cost."""
    sid, heading = "decisions", "Decisions to take"
    rows = _scenario_rows(financial_plan, currency) + _overtime_rows(
        financial_plan, resource_load, resources, currency
    )
    for sku, month, quantity, cost, message in frozen_conflicts(exceptions).itertuples(index=False):
        rows.append(
            [
                f"Frozen zone: {sku} from {month_label(month)}",
                f"keep the firm MPS (loses {units(quantity)} units) or unfreeze: {message}",
                money(cost, currency),
            ]
        )
    if not rows:
        return section(sid, heading, no_data("the cycle has no plan to decide on"))
    return section(sid, heading, table(["Decision", "Options", "Cost"], rows, numeric={2}))


def _scenario_rows(financial_plan: pd.DataFrame, currency: str) -> list[list[str]]:
    margins = scenario_margins(financial_plan) if not financial_plan.empty else pd.Series()
    if margins.empty:
        return []
    others = [s for s in margins.index if s != BASELINE]
    options = ", ".join(
        f"{s} {money(float(margins[s] - margins[BASELINE]), currency, signed=True)} margin"
        for s in others
    )
    text = f"baseline or {options}" if others else "baseline (no scenario defined)"
    return [["Scenario to approve", text, money(lost_margin(financial_plan), currency)]]


def _overtime_rows(
    financial_plan: pd.DataFrame,
    resource_load: pd.DataFrame | None,
    resources: pd.DataFrame | None,
    currency: str,
) -> list[list[str]]:
    """Overtime the baseline plans (hours, cost from the resources export) against the margin
    still lost to capacity."""
    if resource_load is None or resource_load.empty:
        return []
    base = resource_load[resource_load["scenario"] == BASELINE]
    hours = float(base["overtime_hours"].sum())
    cost = float("nan")
    if resources is not None and "overtime_cost_per_hour" in resources:
        rates = resources.assign(month=pd.to_datetime(resources["month"]))
        joined = base.merge(rates, on=["resource", "month"], how="left")
        cost = float((joined["overtime_hours"] * joined["overtime_cost_per_hour"].fillna(0)).sum())
    lost = money(lost_margin(financial_plan), currency)
    text = f"{units(hours)} h of overtime planned; margin still lost to capacity {lost}"
    return [["Overtime vs lost margin", text, money(cost, currency)]]


def approval_section(plan_approvals: pd.DataFrame | None) -> str:
    """Section `approval`: proposed, or which scenario was approved, by whom and when."""
    status = approval_status(plan_approvals)
    latest = latest_approval(plan_approvals) if plan_approvals is not None else None
    parts = [f'<p class="status">{escape(status)}</p>']
    if latest is not None and str(latest["note"] or ""):
        parts.append(note(f"Note: {latest['note']}"))
    if plan_approvals is not None and len(plan_approvals) > 1:
        history = plan_approvals.sort_values("approved_at")
        rows = [
            [str(a), str(s), str(b)]
            for a, s, b in zip(
                history["approved_at"], history["scenario"], history["approved_by"], strict=True
            )
        ]
        parts.append(table(["Approved at (UTC)", "Scenario", "By"], rows, numeric=()))
    if latest is None:
        parts.append(note("The MPS is proposed: `sop approve` releases a scenario's MPS to ERP."))
    return section("approval", "Approval status", *parts)
