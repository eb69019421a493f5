"""Financial plan of a cycle (S&OP step 4, pre-S&OP reconciliation).

The supply plan in money: what the plan sells, what it costs, what the capacity gap costs and
how it compares with the budget. Grain: one row per scenario x family x month of the horizon.

Revenue is valued at each SKU's realised net price (`prices`: net revenue / quantity over the
last 12 months of sales actuals, list price without sales), like the budget it is compared with.
The constrained figures (revenue, cogs, gross_margin) value the served quantity, demand - unmet;
the unconstrained ones value the whole demand as it arises (a backorder carried from month to
month counted once), so unconstrained_gross_margin - gross_margin is the margin the capacity gap
costs.
"""

from __future__ import annotations

import logging

import pandas as pd

from sop_pipeline.core.finance.prices import net_prices
from sop_pipeline.core.supply.backorders import new_demand
from sop_pipeline.core.tables import row_columns

log = logging.getLogger(__name__)

KEYS = ["scenario", "family", "month"]
MEASURES = [
    "revenue",
    "cogs",
    "gross_margin",
    "unconstrained_revenue",
    "unconstrained_cogs",
    "unconstrained_gross_margin",
    "inventory_value",
]
BUDGET = {"revenue": "budget_revenue", "gross_margin": "budget_gross_margin"}
FINANCIAL_PLAN_COLUMNS = row_columns("financial_plan")


def build_financial_plan(
    supply_plan: pd.DataFrame,
    demand_plan: pd.DataFrame,
    items: pd.DataFrame,
    budget: pd.DataFrame | None,
    sales_actuals: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The financial plan: one row per scenario x family x month.

    revenue and cogs value the served quantity (demand - unmet) at the realised net price
    (from `sales_actuals` before the plan's first month; list price without them) and unit cost;
    the unconstrained_* columns value the full demand, so their difference to the constrained
    ones is what the capacity gap costs; inventory_value is ending inventory at cost.
    budget_revenue and budget_gross_margin are NaN where the budget has no figure (or no budget
    was sent); revenue_gap = revenue - budget_revenue, gross_margin_gap = gross_margin -
    budget_gross_margin. A budgeted family x month with no planned SKU still appears, with zero
    plan figures.
    """
    _warn_unplanned(demand_plan, supply_plan)
    if supply_plan.empty:
        sales_actuals = None
    cycle = pd.Timestamp(supply_plan["month"].min()) if len(supply_plan) else pd.NaT
    prices = net_prices(items, sales_actuals, cycle)[["sku", "net_price"]]
    priced = items.drop(columns="unit_price").merge(
        prices.rename(columns={"net_price": "unit_price"}), on="sku"
    )
    valued = _valued_supply(supply_plan, priced)
    plan = valued.groupby(KEYS, as_index=False)[MEASURES].sum()
    plan = _with_budget(plan, budget, supply_plan)
    plan["revenue_gap"] = plan["revenue"] - plan["budget_revenue"]
    plan["gross_margin_gap"] = plan["gross_margin"] - plan["budget_gross_margin"]
    plan = plan.sort_values(KEYS).reset_index(drop=True)
    return plan[FINANCIAL_PLAN_COLUMNS]


def _valued_supply(supply_plan: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Supply plan rows (scenario x sku x month) with their money figures and family."""
    prices = items[["sku", "family", "unit_price", "unit_cost"]].drop_duplicates("sku")
    rows = supply_plan.merge(prices, on="sku", how="left")
    unpriced = rows["family"].isna()
    if unpriced.any():
        skus = sorted(rows.loc[unpriced, "sku"].unique())
        log.warning("financial plan leaves out SKUs absent from items: %s", ", ".join(skus))
        rows = rows[~unpriced]
    served = (rows["demand"] - rows["unmet_demand"]).clip(lower=0.0)
    revenue = served * rows["unit_price"]
    cogs = served * rows["unit_cost"]
    demand = new_demand(rows)
    unconstrained_revenue = demand * rows["unit_price"]
    unconstrained_cogs = demand * rows["unit_cost"]
    return pd.DataFrame(
        {
            "scenario": rows["scenario"].astype(str),
            "family": rows["family"].astype(str),
            "month": rows["month"],
            "revenue": revenue.astype(float),
            "cogs": cogs.astype(float),
            "gross_margin": (revenue - cogs).astype(float),
            "unconstrained_revenue": unconstrained_revenue.astype(float),
            "unconstrained_cogs": unconstrained_cogs.astype(float),
            "unconstrained_gross_margin": (unconstrained_revenue - unconstrained_cogs).astype(
                float
            ),
            "inventory_value": (rows["ending_inventory"] * rows["unit_cost"]).astype(float),
        }
    )


def _with_budget(
    plan: pd.DataFrame, budget: pd.DataFrame | None, supply_plan: pd.DataFrame
) -> pd.DataFrame:
    """The plan with the budget's revenue and gross margin, in every scenario, over the plan's
    months only. A budget without gross_margin leaves budget_gross_margin empty."""
    if budget is None or budget.empty:
        log.warning("no budget: the budget columns and the gaps to them are left empty")
        return plan.assign(**{column: float("nan") for column in BUDGET.values()})
    months = supply_plan["month"].unique()
    in_horizon = budget[budget["month"].isin(months)].reindex(columns=["family", "month", *BUDGET])
    per_month = (
        in_horizon.groupby(["family", "month"], as_index=False)[list(BUDGET)]
        .sum(min_count=1)
        .rename(columns=BUDGET)
    )
    scenarios = pd.DataFrame({"scenario": supply_plan["scenario"].astype(str).unique()})
    budgeted = scenarios.merge(per_month, how="cross")
    merged = plan.merge(budgeted, on=KEYS, how="outer")
    merged[MEASURES] = merged[MEASURES].fillna(0.0)
    return merged


def _warn_unplanned(demand_plan: pd.DataFrame, supply_plan: pd.DataFrame) -> None:
    """Demand the supply plan does not carry is worth nothing in the financial plan: say so."""
    missing = set(demand_plan["sku"]) - set(supply_plan["sku"])
    if missing:
        log.warning(
            "SKUs with demand but no supply plan rows are not valued: %s",
            ", ".join(sorted(missing)),
        )
