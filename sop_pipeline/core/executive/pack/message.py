"""The figures the meeting pack leads with, and the three sentences of its headline.

1. the plan against the budget over the budgeted months, and its main driver (demand below or
   above budget, or revenue lost to capacity);
2. the service risk: planned fill rate, units unmet and SKU-months below safety stock;
3. the decision needed with its cost: the scenario to approve (the one with the most gross
   margin against the baseline's margin lost to capacity), and the frozen-zone conflicts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from sop_pipeline.core.executive.pack.formatting import money, percent, units
from sop_pipeline.core.names import BASELINE


@dataclass(frozen=True)
class Bridge:
    """Budget to plan over the budgeted months: budget + demand gap + capacity loss = plan."""

    budget: float
    demand_gap: float  # unconstrained revenue - budget
    capacity_loss: float  # plan revenue - unconstrained revenue (<= 0)
    plan: float
    months: int


def bridge(financial_plan: pd.DataFrame) -> Bridge | None:
    """The baseline's budget-to-plan bridge, None without a budget."""
    base = financial_plan[financial_plan["scenario"] == BASELINE]
    budgeted = base[base["budget_revenue"].notna()]
    if budgeted.empty:
        return None
    budget = float(budgeted["budget_revenue"].sum())
    demand = float(budgeted["unconstrained_revenue"].sum())
    plan = float(budgeted["revenue"].sum())
    return Bridge(budget, demand - budget, plan - demand, plan, int(budgeted["month"].nunique()))


def scenario_margins(financial_plan: pd.DataFrame) -> pd.Series:
    """Gross margin over the horizon per scenario, baseline first."""
    margins = financial_plan.groupby("scenario")["gross_margin"].sum()
    order = sorted((str(s) for s in margins.index), key=lambda s: (s != BASELINE, s))
    return margins.loc[order].astype(float)


def lost_margin(financial_plan: pd.DataFrame) -> float:
    """The baseline's gross margin lost to capacity over the horizon."""
    base = financial_plan[financial_plan["scenario"] == BASELINE]
    return float((base["unconstrained_gross_margin"] - base["gross_margin"]).sum())


def below_safety_stock(supply_plan: pd.DataFrame | None) -> int:
    """Baseline SKU-months whose projected inventory ends below its safety stock."""
    if supply_plan is None or supply_plan.empty:
        return 0
    base = supply_plan[supply_plan["scenario"] == BASELINE]
    return int((base["ending_inventory"] < base["safety_stock"] - 1e-6).sum())


def frozen_conflicts(exceptions: pd.DataFrame | None) -> pd.DataFrame:
    """The baseline's frozen-zone conflicts, cost = units lost x the value per unit the pin's
    dual gives (what one more unit started would save)."""
    if exceptions is None or exceptions.empty:
        return pd.DataFrame(columns=["sku", "month", "quantity", "cost", "message"])
    rows = exceptions[
        (exceptions["scenario"] == BASELINE) & (exceptions["kind"] == "frozen_zone_conflict")
    ]
    value = rows["shadow_price"] if "shadow_price" in rows else pd.Series(0.0, rows.index)
    cost = rows["quantity"].astype(float) * value.astype(float).fillna(0.0)
    return rows.assign(cost=cost)[["sku", "month", "quantity", "cost", "message"]]


def headline(
    financial_plan: pd.DataFrame,
    kpi_totals: dict[str, float],
    supply_plan: pd.DataFrame | None,
    exceptions: pd.DataFrame | None,
    currency: str,
) -> list[str]:
    """The three sentences: gap and driver, service risk, decision and cost."""
    return [
        _gap_sentence(financial_plan, currency),
        _service_sentence(kpi_totals, supply_plan),
        _decision_sentence(financial_plan, exceptions, currency),
    ]


def _gap_sentence(financial_plan: pd.DataFrame, currency: str) -> str:
    figures = bridge(financial_plan)
    if figures is None:
        revenue = float(financial_plan.loc[financial_plan["scenario"] == BASELINE, "revenue"].sum())
        return f"No budget was sent: the plan delivers {money(revenue, currency)} of revenue."
    gap = figures.plan - figures.budget
    side = "below" if gap < 0 else "above"
    share = f" ({percent(gap / figures.budget, signed=True)})" if figures.budget else ""
    if abs(figures.capacity_loss) >= abs(figures.demand_gap):
        driver = f"capacity, which loses {money(-figures.capacity_loss, currency)} of demand"
    else:
        word = "below" if figures.demand_gap < 0 else "above"
        driver = f"demand, {money(abs(figures.demand_gap), currency)} {word} budget"
    return (
        f"Over the {figures.months} budgeted months the plan is {money(abs(gap), currency)} "
        f"{side} budget{share}; the main driver is {driver}."
    )


def _service_sentence(kpi_totals: dict[str, float], supply_plan: pd.DataFrame | None) -> str:
    fill = kpi_totals.get("planned_fill_rate", math.nan)
    unmet = kpi_totals.get("unmet_demand", math.nan)
    short = below_safety_stock(supply_plan)
    return (
        f"Service risk: planned fill rate {percent(fill)}, {units(unmet)} units unmet, "
        f"{short} SKU-month(s) below safety stock."
    )


def _decision_sentence(
    financial_plan: pd.DataFrame, exceptions: pd.DataFrame | None, currency: str
) -> str:
    margins = scenario_margins(financial_plan)
    conflicts = frozen_conflicts(exceptions)
    freeze_cost = money(float(conflicts["cost"].sum()), currency)
    freeze = (
        f"; {len(conflicts)} frozen-zone conflict(s) cost {freeze_cost}" if len(conflicts) else ""
    )
    lost = money(lost_margin(financial_plan), currency)
    if margins.empty:
        return f"Decision needed: approve the plan{freeze}."
    best = str(margins.idxmax())
    if best == BASELINE or len(margins) == 1:
        return (
            f"Decision needed: approve the baseline, which loses {lost} of margin to "
            f"capacity (no scenario does better){freeze}."
        )
    gain = money(float(margins[best] - margins[BASELINE]), currency, signed=True)
    return (
        f"Decision needed: baseline or scenario {best} ({gain} gross margin against the "
        f"baseline, which loses {lost} to capacity){freeze}."
    )
