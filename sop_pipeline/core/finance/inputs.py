"""What the pre-S&OP reconciliation reads: the cycle's plans, item prices and the budget."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sop_pipeline.core.finance.plan import build_financial_plan
from sop_pipeline.core.inputs import this_cycle


@dataclass(frozen=True)
class FinanceInputs:
    """The supply and demand plans of the cycle, the item master and the budget (optional)."""

    supply_plan: pd.DataFrame = this_cycle("supply_plan")
    demand_plan: pd.DataFrame = this_cycle("demand_plan")
    items: pd.DataFrame = this_cycle("items")
    budget: pd.DataFrame | None = this_cycle("budget", optional=True)


def plan_finances(inputs: FinanceInputs) -> pd.DataFrame:
    """The `financial_plan` rows of the cycle: grain scenario x family x month."""
    return build_financial_plan(inputs.supply_plan, inputs.demand_plan, inputs.items, inputs.budget)
