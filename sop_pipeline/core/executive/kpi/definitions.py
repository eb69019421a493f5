"""The KPI definitions: every KPI once, with what the `kpi` table, the meeting pack, the CLI
summary and docs/kpis.md say about it.

The `kpi` step computes the KPIs in this table's order by calling each formula; the pack and the
CLI take their labels, units and directions from here. A formula takes the inputs, the cycle and
its own definition (for the name, unit and scopes of its rows) and returns KPI rows; when its
inputs are absent it returns no rows and logs why. Its docstring is the formula in docs/kpis.md.
Adding a KPI is adding an entry here.
"""

from __future__ import annotations

from sop_pipeline.core.executive.kpi import actuals, inventory, plan, production, value_added
from sop_pipeline.core.executive.kpi.definition import Direction, KpiDefinition

__all__ = ["KPI_DEFINITIONS", "Direction", "KpiDefinition"]

SALES_SCOPES = ("total", "family", "region")
FAMILY_SCOPES = ("total", "family")
SKU_SCOPES = ("total", "family", "sku")
RESOURCE_SCOPES = ("total", "resource")


UP, DOWN, ANY = Direction.HIGHER_IS_GOOD, Direction.LOWER_IS_GOOD, Direction.NEUTRAL
LAG1 = "lag-1 rows"
SUPPLY = "supply plan"

# fmt: off
KPI_DEFINITIONS: tuple[KpiDefinition, ...] = (
    KpiDefinition(
        name="total_sales", label="Sales last month", unit="currency", scopes=SALES_SCOPES,
        direction=UP, per_scenario=False, formula=actuals.total_sales,
        needs="`sales_history` with M−1 sales",
    ),
    KpiDefinition(
        name="forecast_accuracy_lag1", label="Forecast accuracy (lag 1)", unit="ratio",
        scopes=SALES_SCOPES, direction=UP, per_scenario=False,
        formula=actuals.forecast_accuracy_lag1,
        needs="`forecast_accuracy` rows at lag 1 (from the 2nd cycle)",
    ),
    KpiDefinition(
        name="forecast_accuracy_lag3", label="Forecast accuracy (lag 3)", unit="ratio",
        scopes=SALES_SCOPES, direction=UP, per_scenario=False,
        formula=actuals.forecast_accuracy_lag3, needs="lag-3 rows (from the 4th cycle)",
    ),
    KpiDefinition(
        name="forecast_bias", label="Forecast bias (lag 1)", unit="ratio", scopes=SALES_SCOPES,
        direction=ANY, per_scenario=False, formula=actuals.forecast_bias, needs=LAG1,
    ),
    KpiDefinition(
        name="forecast_bias_lag3", label="Forecast bias (lag 3)", unit="ratio", scopes=SALES_SCOPES,
        direction=ANY, per_scenario=False, formula=actuals.forecast_bias_lag3, needs="lag-3 rows",
    ),
    KpiDefinition(
        name="sales_vs_forecast", label="Sales vs forecast", unit="ratio", scopes=SALES_SCOPES,
        direction=ANY, per_scenario=False, formula=actuals.sales_vs_forecast, needs=LAG1,
    ),
    KpiDefinition(
        name="forecast_interval_coverage", label="Forecast interval coverage (80 %)",
        unit="ratio", scopes=SALES_SCOPES, direction=ANY, per_scenario=False,
        formula=actuals.forecast_interval_coverage, needs="lag-1 rows with `lo_80`/`hi_80`",
    ),
    KpiDefinition(
        name="forecast_value_added_statistical", label="Value added: statistical vs naive",
        unit="ratio", scopes=SALES_SCOPES, direction=UP, per_scenario=False,
        formula=value_added.forecast_value_added_statistical,
        needs="`forecast_value_added` rows at lag 1",
    ),
    KpiDefinition(
        name="forecast_value_added_consensus", label="Value added: consensus vs statistical",
        unit="ratio", scopes=SALES_SCOPES, direction=UP, per_scenario=False,
        formula=value_added.forecast_value_added_consensus,
        needs="lag-1 rows with a consensus (the earlier cycle made a demand plan)",
    ),
    KpiDefinition(
        name="gross_margin_pct", label="Planned gross margin", unit="ratio", scopes=FAMILY_SCOPES,
        direction=UP, per_scenario=True, formula=plan.gross_margin_pct, needs=SUPPLY,
    ),
    KpiDefinition(
        name="revenue_vs_budget", label="Plan revenue vs budget", unit="ratio",
        scopes=FAMILY_SCOPES, direction=UP, per_scenario=True, formula=plan.revenue_vs_budget,
        needs="`budget` export",
    ),
    KpiDefinition(
        name="inventory_value", label="Inventory at cost", unit="currency", scopes=FAMILY_SCOPES,
        direction=ANY, per_scenario=False, formula=inventory.inventory_value, needs="`inventory`",
    ),
    KpiDefinition(
        name="inventory_turns", label="Inventory turns", unit="turns", scopes=FAMILY_SCOPES,
        direction=UP, per_scenario=False, formula=inventory.inventory_turns,
        needs="`inventory`, sales actuals (the previous cycle's `inventory_value` for the average)",
    ),
    KpiDefinition(
        name="days_of_supply", label="Days of supply", unit="days", scopes=SKU_SCOPES,
        direction=ANY, per_scenario=False, formula=inventory.days_of_supply,
        needs="`inventory`, demand plan",
    ),
    KpiDefinition(
        name="capacity_utilization", label="Capacity utilisation", unit="ratio",
        scopes=RESOURCE_SCOPES, direction=ANY, per_scenario=True, formula=plan.capacity_utilization,
        needs="`resources` and `routings`",
    ),
    KpiDefinition(
        name="planned_fill_rate", label="Planned fill rate", unit="ratio", scopes=FAMILY_SCOPES,
        direction=UP, per_scenario=True, formula=plan.planned_fill_rate, needs=SUPPLY,
    ),
    KpiDefinition(
        name="on_time_fill_rate", label="On-time fill rate", unit="ratio", scopes=FAMILY_SCOPES,
        direction=UP, per_scenario=True, formula=plan.on_time_fill_rate, needs=SUPPLY,
    ),
    KpiDefinition(
        name="unmet_demand", label="Unmet demand (units)", unit="units", scopes=FAMILY_SCOPES,
        direction=DOWN, per_scenario=True, formula=plan.unmet_demand, needs=SUPPLY,
    ),
    KpiDefinition(
        name="production_forecast", label="Planned production", unit="units", scopes=FAMILY_SCOPES,
        direction=ANY, per_scenario=True, formula=plan.production_forecast, needs=SUPPLY,
    ),
    KpiDefinition(
        name="production_forecast_next_3m", label="Production next 3 months", unit="units",
        scopes=FAMILY_SCOPES, direction=ANY, per_scenario=True,
        formula=plan.production_forecast_next_3m, needs=SUPPLY,
    ),
    KpiDefinition(
        name="plan_attainment", label="Plan attainment last month", unit="ratio", scopes=SKU_SCOPES,
        direction=UP, per_scenario=False, formula=production.plan_attainment,
        needs="`production_orders`, the supply plans of the 4 cycles before",
    ),
    KpiDefinition(
        name="cycle_time", label="Production cycle time", unit="days", scopes=FAMILY_SCOPES,
        direction=DOWN, per_scenario=False, formula=production.cycle_time,
        needs="`production_orders` with an order finished in M−1",
    ),
    KpiDefinition(
        name="slow_moving_inventory_value", label="Slow-moving stock at cost", unit="currency",
        scopes=SKU_SCOPES, direction=DOWN, per_scenario=False,
        formula=inventory.slow_moving_inventory_value, needs="`inventory`, sales actuals",
    ),
)
# fmt: on

BY_NAME = {kpi.name: kpi for kpi in KPI_DEFINITIONS}


def kpi_definition(name: str) -> KpiDefinition:
    """The definition of the KPI called `name` (as the `kpi` column holds it)."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"{name!r} is not a KPI of core.executive.kpi.definitions") from None
