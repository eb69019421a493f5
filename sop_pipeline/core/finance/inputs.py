"""What the pre-S&OP reconciliation reads: the cycle's plans, item prices, the budget and the
sales actuals (for each SKU's realised net price)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sop_pipeline.core.finance.plan import build_financial_plan
from sop_pipeline.core.inputs import this_cycle


@dataclass(frozen=True)
class FinanceInputs:
    """The supply and demand plans of the cycle, the item master, the budget (optional) and the
    sales actuals (net revenue and quantity per SKU and month)."""

    supply_plan: pd.DataFrame = this_cycle("supply_plan")
    demand_plan: pd.DataFrame = this_cycle("demand_plan")
    items: pd.DataFrame = this_cycle("items")
    budget: pd.DataFrame | None = this_cycle("budget", optional=True)
    sales_actuals: pd.DataFrame | None = this_cycle("sales_actuals", optional=True)


def plan_finances(inputs: FinanceInputs) -> pd.DataFrame:
    """The `financial_plan` rows of the cycle: grain scenario x family x month."""
    return build_financial_plan(
        inputs.supply_plan, inputs.demand_plan, inputs.items, inputs.budget, inputs.sales_actuals
    )
