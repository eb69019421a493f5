"""Step 3, supply review: the capacity-constrained supply plan (LP solved by HiGHS), rough-cut
capacity and the exceptions, for the baseline and every what-if scenario."""

from dagster import AssetExecutionContext, MaterializeResult, multi_asset

from sop_pipeline.core.supply.inputs import SupplyReviewInputs, review_supply
from sop_pipeline.defs.catalogue import table_spec, written
from sop_pipeline.defs.inputs import read_inputs
from sop_pipeline.defs.partitions import cycle_of, cycle_partitions
from sop_pipeline.defs.resources import PlanningSettings, WarehouseResource
from sop_pipeline.defs.supply.metadata import (
    exceptions_figures,
    resource_load_figures,
    supply_plan_figures,
)

GROUP = "supply_review"
TABLES = {
    "supply_plan": ({"python", "highs"}, "grain cycle x scenario x sku x month"),
    "resource_load": ({"python"}, "rough-cut capacity: grain cycle x scenario x resource x month"),
    "exceptions": ({"python"}, "shortages, overloads and their causes: cycle x scenario x problem"),
}


@multi_asset(
    specs=[
        # supply_plan alone depends on its previous cycle (the firm MPS it made)
        table_spec(table, GROUP, SupplyReviewInputs, TABLES, kinds, description)
        for table, (kinds, description) in TABLES.items()
    ],
    partitions_def=cycle_partitions,
)
def supply_review(
    context: AssetExecutionContext, warehouse: WarehouseResource, settings: PlanningSettings
):  # noqa: ANN201 - yields one MaterializeResult per table
    """The cycle's supply plan, resource load and exceptions, every scenario solved by HiGHS."""
    cycle = cycle_of(context)
    review = review_supply(
        read_inputs(SupplyReviewInputs, warehouse, cycle),
        cycle,
        horizon=settings.horizon_months,
        frozen_months=settings.frozen_months,
    )
    warehouse.write(
        cycle,
        supply_plan=review.supply_plan,
        resource_load=review.resource_load,
        exceptions=review.exceptions,
    )
    figures = {
        "supply_plan": supply_plan_figures(review.supply_plan),
        "resource_load": resource_load_figures(review.resource_load),
        "exceptions": exceptions_figures(review.exceptions),
    }
    for table, frame in (
        ("supply_plan", review.supply_plan),
        ("resource_load", review.resource_load),
        ("exceptions", review.exceptions),
    ):
        yield MaterializeResult(
            asset_key=table, metadata={**written(warehouse, table, len(frame)), **figures[table]}
        )
