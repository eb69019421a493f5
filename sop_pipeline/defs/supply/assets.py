"""Step 3, supply review: the capacity-constrained supply plan (LP solved by HiGHS), rough-cut
capacity and the exceptions, for the baseline and every what-if scenario."""

import pandas as pd
from dagster import AssetExecutionContext, AssetSpec, MaterializeResult, multi_asset

from sop_pipeline.core.supply import SOLVER_TOLERANCE, SupplyInputs, plan_supply
from sop_pipeline.core.supply.backorders import fill_rate
from sop_pipeline.core.supply.handoff import demand_by_sku, forecast_error_sigma
from sop_pipeline.defs.inputs import read_export, read_optional
from sop_pipeline.defs.partitions import cycle_of, cycle_partitions
from sop_pipeline.defs.resources import PlanningSettings, WarehouseResource

GROUP = "supply_review"
UPSTREAM = [
    "demand_plan",
    "statistical_forecast",
    "items",
    "inventory",
    "resources",
    "routings",
    "inventory_policy",
    "open_orders",
    "scenarios",
]


@multi_asset(
    specs=[
        AssetSpec(
            "supply_plan",
            group_name=GROUP,
            deps=UPSTREAM,
            kinds={"python", "highs"},
            description="grain cycle x scenario x sku x month",
        ),
        AssetSpec(
            "resource_load",
            group_name=GROUP,
            deps=UPSTREAM,
            kinds={"python"},
            description="rough-cut capacity: grain cycle x scenario x resource x month",
        ),
        AssetSpec(
            "exceptions",
            group_name=GROUP,
            deps=UPSTREAM,
            kinds={"python"},
            description="shortages, overloads and their causes: cycle x scenario x problem",
        ),
    ],
    partitions_def=cycle_partitions,
)
def supply_review(
    context: AssetExecutionContext, warehouse: WarehouseResource, settings: PlanningSettings
):  # noqa: ANN201 - yields one MaterializeResult per table
    cycle = cycle_of(context)
    inputs = SupplyInputs(
        demand=demand_by_sku(warehouse.read("demand_plan", cycle)),
        demand_error=forecast_error_sigma(warehouse.read("statistical_forecast", cycle)),
        items=read_export(warehouse, "items", cycle),
        inventory=read_export(warehouse, "inventory", cycle),
        resources=read_optional(warehouse, "resources", cycle),
        routings=read_optional(warehouse, "routings", cycle),
        inventory_policy=read_optional(warehouse, "inventory_policy", cycle),
        open_orders=read_optional(warehouse, "open_orders", cycle),
        scenarios=read_optional(warehouse, "scenarios", cycle),
        # the previous cycle's firm MPS pins production in the months still frozen
        previous_mps=warehouse.read("mps", cycle - pd.DateOffset(months=1)),
    )
    review = plan_supply(
        inputs, cycle, horizon=settings.horizon_months, frozen_months=settings.frozen_months
    )
    warehouse.write(
        cycle,
        supply_plan=review.supply_plan,
        resource_load=review.resource_load,
        exceptions=review.exceptions,
    )
    plan = review.supply_plan
    baseline = plan[plan["scenario"] == "baseline"]
    yield MaterializeResult(
        asset_key="supply_plan",
        metadata={
            "rows": len(plan),
            "scenarios": int(plan["scenario"].nunique()),
            "baseline_production": float(baseline["production"].sum()),
            "baseline_fill_rate": fill_rate(baseline),
        },
    )
    load = review.resource_load
    yield MaterializeResult(
        asset_key="resource_load",
        metadata={
            "rows": len(load),
            "overloaded_resource_months": int((load["utilization"] > 1.0 + SOLVER_TOLERANCE).sum()),
        },
    )
    yield MaterializeResult(
        asset_key="exceptions",
        metadata={
            "rows": len(review.exceptions),
            "by_kind": ", ".join(
                f"{k}: {n}" for k, n in review.exceptions["kind"].value_counts().items()
            )
            or "none",
        },
    )
