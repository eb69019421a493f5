"""What changed since last month: the cycle's baseline plan against the previous cycle's, for
the months both plan (from this cycle's month to the previous plan's last), per family.

`plan_changes` has one row per family x month. Each change is split into causes that add up to
it exactly (to float precision):

- demand (the demand plan): statistical (new actuals and the re-selected statistical model,
  which one forecast run cannot tell apart), events (promotions), pipeline (CRM deals),
  new_products, overrides (planners' adjustments, with the floor at zero that a negative
  override hits: demand = max(sum of layers, 0));
- served (demand the supply plan serves, demand - unmet): the change of the supply plan's demand
  and that of its unmet demand (constraints: capacity, the frozen zone, stock);
- revenue (the financial plan): the served units' change valued at the previous price, split
  as served is (demand, constraints), plus price_mix, this cycle's units times the change of
  the average price per unit (realised prices and the SKU mix within the family).

production (the supply plan's production) has its total change only. A family or month absent
from one plan counts as zero there. Only the baseline is compared: a scenario is this cycle's
question, not a plan of record.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sop_pipeline.core.calendar import month_start, month_starts
from sop_pipeline.core.demand.plan import LAYERS
from sop_pipeline.core.inputs import previous_cycle, this_cycle
from sop_pipeline.core.names import BASELINE
from sop_pipeline.core.tables import row_columns
from sop_pipeline.core.tables.executive import DEMAND_CAUSES

COLUMNS = row_columns("plan_changes")
KEYS = ["family", "month"]
UNASSIGNED = "(no family)"
CAUSE_OF_LAYER = dict(zip(LAYERS, DEMAND_CAUSES, strict=True))


@dataclass(frozen=True)
class PlanChangesInputs:
    """This and the previous cycle's demand, supply and financial plans, and the item master
    (families). The previous ones are None in the first cycle: nothing to compare."""

    demand_plan: pd.DataFrame = this_cycle("demand_plan")
    supply_plan: pd.DataFrame = this_cycle("supply_plan")
    financial_plan: pd.DataFrame = this_cycle("financial_plan")
    items: pd.DataFrame = this_cycle("items")
    previous_demand_plan: pd.DataFrame | None = previous_cycle("demand_plan")
    previous_supply_plan: pd.DataFrame | None = previous_cycle("supply_plan")
    previous_financial_plan: pd.DataFrame | None = previous_cycle("financial_plan")


def plan_changes(inputs: PlanChangesInputs, cycle: pd.Timestamp) -> pd.DataFrame:
    """The `plan_changes` rows of `cycle` (none in a first cycle)."""
    previous = inputs.previous_demand_plan
    if previous is None or previous.empty:
        return pd.DataFrame(columns=COLUMNS)
    families = inputs.items.set_index(inputs.items["sku"].astype(str))["family"].astype(str)
    current = _family_figures(
        inputs.demand_plan, inputs.supply_plan, inputs.financial_plan, families
    )
    before = _family_figures(
        previous, inputs.previous_supply_plan, inputs.previous_financial_plan, families
    )
    first, last = month_start(cycle), month_starts(previous["month"]).max()
    both = current.join(before, how="outer", lsuffix="", rsuffix="_previous").fillna(0.0)
    months = both.index.get_level_values("month")
    both = both[(months >= first) & (months <= last)]
    return decompose(both).reset_index()[COLUMNS]


def _family_figures(
    demand_plan: pd.DataFrame,
    supply_plan: pd.DataFrame | None,
    financial_plan: pd.DataFrame | None,
    families: pd.Series,
) -> pd.DataFrame:
    """Per family x month: the demand layers and demand, production, supply demand, unmet and
    revenue of the baseline."""
    demand = _by_family(demand_plan, [*LAYERS, "demand"], families)
    supply = _by_family(
        _baseline(supply_plan, ["sku", "month", "production", "demand", "unmet_demand"]),
        ["production", "demand", "unmet_demand"],
        families,
    ).rename(columns={"demand": "supply_demand", "unmet_demand": "unmet"})
    finance = _baseline(financial_plan, ["family", "month", "revenue"])
    revenue = finance.assign(month=month_starts(finance["month"])).groupby(KEYS)[["revenue"]].sum()
    return demand.join(supply, how="outer").join(revenue, how="outer").fillna(0.0)


def _baseline(plan: pd.DataFrame | None, columns: list[str]) -> pd.DataFrame:
    if plan is None or plan.empty:
        return pd.DataFrame({c: pd.Series(dtype=float) for c in columns})
    return plan.loc[plan["scenario"].astype(str) == BASELINE, columns]


def _by_family(rows: pd.DataFrame, measures: list[str], families: pd.Series) -> pd.DataFrame:
    family = rows["sku"].astype(str).map(families).fillna(UNASSIGNED)
    frame = rows[measures].astype(float).assign(family=family, month=month_starts(rows["month"]))
    return frame.groupby(KEYS)[measures].sum()


def decompose(both: pd.DataFrame) -> pd.DataFrame:
    """The change columns from this (`x`) and the previous cycle's (`x_previous`) figures."""
    out = pd.DataFrame(index=both.index)

    def delta(column: str) -> pd.Series:
        return both[column] - both[f"{column}_previous"]

    out["demand_previous"], out["demand"] = both["demand_previous"], both["demand"]
    out["demand_change"] = delta("demand")
    for layer, cause in CAUSE_OF_LAYER.items():
        out[f"demand_change_{cause}"] = delta(layer)
    # the floor at zero is where a negative override meets the rest: counted with overrides
    layered = sum(out[f"demand_change_{cause}"] for cause in DEMAND_CAUSES)
    out["demand_change_overrides"] += out["demand_change"] - layered
    out["production_previous"], out["production"] = both["production_previous"], both["production"]
    out["production_change"] = delta("production")
    served = both["supply_demand"] - both["unmet"]
    served_before = both["supply_demand_previous"] - both["unmet_previous"]
    out["served_previous"], out["served"] = served_before, served
    out["served_change"] = served - served_before
    out["served_change_demand"] = delta("supply_demand")
    out["served_change_constraints"] = -delta("unmet")
    revenue, revenue_before = both["revenue"], both["revenue_previous"]
    price = _per_unit(revenue, served)
    # the previous price values the volume change; without previous units, this cycle's
    price_before = _per_unit(revenue_before, served_before).where(served_before > 0, price)
    out["revenue_previous"], out["revenue"] = revenue_before, revenue
    out["revenue_change"] = revenue - revenue_before
    out["revenue_change_demand"] = out["served_change_demand"] * price_before
    out["revenue_change_constraints"] = out["served_change_constraints"] * price_before
    out["revenue_change_price_mix"] = (
        out["revenue_change"] - (served - served_before) * price_before
    )
    return out


def _per_unit(revenue: pd.Series, units: pd.Series) -> pd.Series:
    return pd.Series(np.where(units > 0, revenue / units.where(units > 0, 1.0), 0.0), revenue.index)


def change_summary(changes: pd.DataFrame) -> dict[str, float]:
    """The total of each change column over families and months (the pack and the CLI)."""
    measures = [c for c in changes.columns if c.endswith("_change") or "_change_" in c]
    return {c: float(changes[c].sum()) for c in measures}
