"""The KPI definitions: every KPI once, with what the `kpi` table, the meeting pack, the CLI
summary and docs/kpis.md say about it.

The `kpi` step computes the KPIs in this table's order by calling each formula; the pack and the
CLI take their labels, units and directions from here. A formula takes the inputs, the cycle and
its own definition (for the name, unit and scopes of its rows) and returns KPI rows; when its
inputs are absent it returns no rows and logs why. Its docstring is the formula in docs/kpis.md.
Adding a KPI is adding an entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum

import pandas as pd

from sop_pipeline.core.executive.kpi import actuals, inventory, plan, production, value_added
from sop_pipeline.core.executive.kpi.inputs import KpiInputs

SALES_SCOPES = ("total", "family", "region")
FAMILY_SCOPES = ("total", "family")
SKU_SCOPES = ("total", "family", "sku")
RESOURCE_SCOPES = ("total", "resource")


class Direction(IntEnum):
    """Which way a KPI's change is good news; the sign the pack colours a change with."""

    HIGHER_IS_GOOD = 1
    LOWER_IS_GOOD = -1
    NEUTRAL = 0  # read in context: bias, stock, load, volumes

    @property
    def reads(self) -> str:
        """The direction in words, as the docs and the CLI print it."""
        return {1: "higher is good", -1: "lower is good", 0: "neutral"}[int(self)]


@dataclass(frozen=True)
class KpiDefinition:
    """One KPI: `name` as the `kpi` column holds it, the reader's `label`, the `unit` of its
    values, the scope types it is reported at, which way is good news, the `formula` computing
    its rows, whether it has rows per scenario (plan KPIs) or under 'baseline' only (actuals
    KPIs), and the inputs it `needs` (for the docs)."""

    name: str
    label: str
    unit: str
    scopes: tuple[str, ...]
    direction: Direction
    formula: KpiFormula
    per_scenario: bool
    needs: str


KpiFormula = Callable[[KpiInputs, pd.Timestamp, KpiDefinition], pd.DataFrame]

UP, DOWN, ANY = Direction.HIGHER_IS_GOOD, Direction.LOWER_IS_GOOD, Direction.NEUTRAL
ACTUALS, PLAN = False, True
LAG1 = "lag-1 rows"
SUPPLY = "supply plan"

# fmt: off
KPI_DEFINITIONS: tuple[KpiDefinition, ...] = (
    KpiDefinition("total_sales", "Sales last month", "currency", SALES_SCOPES, UP,
                  actuals.total_sales, ACTUALS, "`sales_history` with M−1 sales"),
    KpiDefinition("forecast_accuracy_lag1", "Forecast accuracy (lag 1)", "ratio", SALES_SCOPES,
                  UP, actuals.forecast_accuracy_lag1, ACTUALS,
                  "`forecast_accuracy` rows at lag 1 (from the 2nd cycle)"),
    KpiDefinition("forecast_accuracy_lag3", "Forecast accuracy (lag 3)", "ratio", SALES_SCOPES,
                  UP, actuals.forecast_accuracy_lag3, ACTUALS, "lag-3 rows (from the 4th cycle)"),
    KpiDefinition("forecast_bias", "Forecast bias (lag 1)", "ratio", SALES_SCOPES, ANY,
                  actuals.forecast_bias, ACTUALS, LAG1),
    KpiDefinition("forecast_bias_lag3", "Forecast bias (lag 3)", "ratio", SALES_SCOPES, ANY,
                  actuals.forecast_bias_lag3, ACTUALS, "lag-3 rows"),
    KpiDefinition("sales_vs_forecast", "Sales vs forecast", "ratio", SALES_SCOPES, ANY,
                  actuals.sales_vs_forecast, ACTUALS, LAG1),
    KpiDefinition("forecast_value_added_statistical", "Value added: statistical vs naive",
                  "ratio", SALES_SCOPES, UP, value_added.forecast_value_added_statistical,
                  ACTUALS, "`forecast_value_added` rows at lag 1"),
    KpiDefinition("forecast_value_added_consensus", "Value added: consensus vs statistical",
                  "ratio", SALES_SCOPES, UP, value_added.forecast_value_added_consensus, ACTUALS,
                  "lag-1 rows with a consensus (the earlier cycle made a demand plan)"),
    KpiDefinition("gross_margin_pct", "Planned gross margin", "ratio", FAMILY_SCOPES, UP,
                  plan.gross_margin_pct, PLAN, SUPPLY),
    KpiDefinition("revenue_vs_budget", "Plan revenue vs budget", "ratio", FAMILY_SCOPES, UP,
                  plan.revenue_vs_budget, PLAN, "`budget` export"),
    KpiDefinition("working_capital", "Inventory at cost", "currency", FAMILY_SCOPES, ANY,
                  inventory.working_capital, ACTUALS, "`inventory`"),
    KpiDefinition("inventory_turns", "Inventory turns", "turns", FAMILY_SCOPES, UP,
                  inventory.inventory_turns, ACTUALS, "`inventory`, sales actuals"),
    KpiDefinition("days_of_supply", "Days of supply", "days", SKU_SCOPES, ANY,
                  inventory.days_of_supply, ACTUALS, "`inventory`, demand plan"),
    KpiDefinition("capacity_utilization", "Capacity utilisation", "ratio", RESOURCE_SCOPES, ANY,
                  plan.capacity_utilization, PLAN, "`resources` and `routings`"),
    KpiDefinition("planned_fill_rate", "Planned fill rate", "ratio", FAMILY_SCOPES, UP,
                  plan.planned_fill_rate, PLAN, SUPPLY),
    KpiDefinition("unmet_demand", "Unmet demand (units)", "units", FAMILY_SCOPES, DOWN,
                  plan.unmet_demand, PLAN, SUPPLY),
    KpiDefinition("production_forecast", "Planned production", "units", FAMILY_SCOPES, ANY,
                  plan.production_forecast, PLAN, SUPPLY),
    KpiDefinition("production_forecast_next_3m", "Production next 3 months", "units",
                  FAMILY_SCOPES, ANY, plan.production_forecast_next_3m, PLAN, SUPPLY),
    KpiDefinition("plan_attainment", "Plan attainment last month", "ratio", SKU_SCOPES, UP,
                  production.plan_attainment, ACTUALS,
                  "`production_orders`, the previous cycle's supply plan"),
    KpiDefinition("cycle_time", "Production cycle time", "days", FAMILY_SCOPES, DOWN,
                  production.cycle_time, ACTUALS,
                  "`production_orders` with an order finished in M−1"),
    KpiDefinition("slow_moving_inventory_value", "Slow-moving stock at cost", "currency",
                  SKU_SCOPES, DOWN, inventory.slow_moving_inventory_value, ACTUALS,
                  "`inventory`, sales actuals"),
)
# fmt: on

BY_NAME = {kpi.name: kpi for kpi in KPI_DEFINITIONS}


def kpi_definition(name: str) -> KpiDefinition:
    """The definition of the KPI called `name` (as the `kpi` column holds it)."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"{name!r} is not a KPI of core.executive.kpi.definitions") from None
