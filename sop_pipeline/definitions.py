"""The Dagster definitions of the S&OP pipeline: assembly only, no logic."""

from __future__ import annotations

from dagster import Definitions, load_assets_from_modules

from sop_pipeline.defs.collection import assets as collection_assets
from sop_pipeline.defs.collection.checks import suite_checks
from sop_pipeline.defs.dbt import assets as dbt_assets
from sop_pipeline.defs.dbt.assets import dbt_cli
from sop_pipeline.defs.demand import assets as demand_assets
from sop_pipeline.defs.executive import assets as executive_assets
from sop_pipeline.defs.finance import assets as finance_assets
from sop_pipeline.defs.implementation import assets as implementation_assets
from sop_pipeline.defs.jobs import sop_cycle_job, sop_cycle_schedule
from sop_pipeline.defs.progress import progress_logger
from sop_pipeline.defs.resources import ExportsResource, PlanningSettings, WarehouseResource
from sop_pipeline.defs.supply import assets as supply_assets

ASSET_MODULES = [
    collection_assets,
    demand_assets,
    supply_assets,
    finance_assets,
    executive_assets,
    implementation_assets,
    dbt_assets,
]


def build_definitions(
    warehouse: WarehouseResource | None = None,
    exports: ExportsResource | None = None,
    settings: PlanningSettings | None = None,
) -> Definitions:
    """The pipeline's definitions with the given resources (defaults: environment and ./)."""
    return Definitions(
        assets=load_assets_from_modules(ASSET_MODULES),
        asset_checks=suite_checks,
        jobs=[sop_cycle_job],
        schedules=[sop_cycle_schedule],
        resources={
            "warehouse": warehouse or WarehouseResource(),
            "exports": exports or ExportsResource(),
            "settings": settings or PlanningSettings(),
            "dbt": dbt_cli(),
        },
        loggers={"progress": progress_logger},
    )


defs = build_definitions()
