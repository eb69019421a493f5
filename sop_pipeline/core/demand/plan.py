"""The `demand_plan` table: unconstrained demand per sku x region x month, layer by layer.

demand = statistical + event_uplift + pipeline + new_product + override, never negative. The
layers and their rules live in `sop_pipeline.core.demand`:

- statistical: the cycle's statistical forecast;
- event_uplift: promotions and events as a percentage of the statistical forecast (`events`);
- pipeline: probability-weighted CRM deals above half the statistical forecast (`pipeline`);
- new_product: ramped family-average volumes for new SKUs without history (`new_products`);
- override: planners' absolute quantities or percentages on the sum of the rest (`overrides`),
  each one kept with its author, reason and verdict in the `override_log` table; inside the
  rolling firm window (the first `firm_months` months) an override needs a reason.

Rows: every statistical-forecast row of a SKU in the item master, from the cycle to the last
forecast month, plus the new-product rows, plus the sku x region x month of SKU-level CRM deals
and planner overrides inside that horizon where the forecast has no row (so that no commercial
input is dropped). Without a statistical forecast there is no horizon, hence no plan.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sop_pipeline.core.calendar import month_start, month_starts, months_through
from sop_pipeline.core.demand.events import event_uplift
from sop_pipeline.core.demand.frames import KEYS, empty_rows
from sop_pipeline.core.demand.new_products import new_product_rows
from sop_pipeline.core.demand.overrides import (
    FIRM_MONTHS,
    applied_overrides,
    override_entries,
    override_layer,
    override_log,
)
from sop_pipeline.core.demand.pipeline import pipeline_layer
from sop_pipeline.core.tables import row_columns

LAYERS = ["statistical", "event_uplift", "pipeline", "new_product", "override"]
PLAN_COLUMNS = row_columns("demand_plan")
LOG_COLUMNS = row_columns("override_log")


@dataclass(frozen=True)
class DemandPlan:
    """The cycle's demand review outcome: `plan` (demand_plan rows) and `override_log`."""

    plan: pd.DataFrame
    override_log: pd.DataFrame


def plan_demand(
    statistical_forecast: pd.DataFrame,
    items: pd.DataFrame,
    cycle: pd.Timestamp,
    promotions: pd.DataFrame | None,
    crm_pipeline: pd.DataFrame | None,
    demand_overrides: pd.DataFrame | None,
    firm_months: int = FIRM_MONTHS,
) -> DemandPlan:
    """The demand plan and the log of every planner override of the cycle."""
    cycle = month_start(cycle)
    statistical = _statistical(statistical_forecast, items, cycle)
    months = (
        pd.DatetimeIndex([])
        if statistical.empty
        else months_through(cycle, statistical["month"].max())
    )
    entries = override_entries(demand_overrides, items, months, firm_months)
    if statistical.empty:  # nothing is planned: every override is logged, none applied
        plan = empty_rows(*LAYERS, "demand")
        return DemandPlan(plan[PLAN_COLUMNS], override_log(entries, plan)[LOG_COLUMNS])
    new_products = new_product_rows(statistical, items, cycle)
    pipeline = pipeline_layer(statistical, crm_pipeline, items, months)
    plan = statistical
    for layer in (new_products, pipeline, applied_overrides(entries)):
        plan = plan.merge(layer, on=KEYS, how="outer")
    plan = plan.fillna({c: 0.0 for c in ["statistical", "new_product", "pipeline"]})
    plan["event_uplift"] = event_uplift(plan, promotions, items)
    plan["override"] = override_layer(plan)
    plan["demand"] = plan[LAYERS].sum(axis=1).clip(lower=0.0)
    plan = plan.sort_values(KEYS, ignore_index=True)
    log = override_log(entries, plan).sort_values([*KEYS, "author"], ignore_index=True)
    return DemandPlan(plan[PLAN_COLUMNS], log[LOG_COLUMNS])


def _statistical(
    statistical_forecast: pd.DataFrame, items: pd.DataFrame, cycle: pd.Timestamp
) -> pd.DataFrame:
    """The statistical layer: sku, region, month, statistical for known SKUs from the cycle.
    `forecast_demand` gives one row per sku x region x month, so no re-aggregation here."""
    if statistical_forecast.empty:
        return empty_rows("statistical")
    rows = pd.DataFrame(
        {
            "sku": statistical_forecast["sku"],
            "region": statistical_forecast["region"],
            "month": month_starts(statistical_forecast["month"]),
            "statistical": statistical_forecast["forecast"].astype(float),
        }
    )
    return rows[rows["sku"].isin(items["sku"]) & (rows["month"] >= cycle)].reset_index(drop=True)
