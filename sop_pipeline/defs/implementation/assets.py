"""Step 6, implementation: the approved plan handed to ERP as a master production schedule."""

from pathlib import Path

from dagster import AssetExecutionContext, MaterializeResult, asset

from sop_pipeline.core.implementation.mps import build_mps
from sop_pipeline.defs.partitions import cycle_of, cycle_partitions
from sop_pipeline.defs.resources import PlanningSettings, WarehouseResource
from sop_pipeline.io.reports import MPS_FILE, cycle_folder, write_mps_csv


@asset(
    group_name="implementation",
    partitions_def=cycle_partitions,
    deps=["supply_plan"],
    kinds={"python", "csv"},
)
def mps(
    context: AssetExecutionContext, warehouse: WarehouseResource, settings: PlanningSettings
) -> MaterializeResult:
    """Master production schedule of the baseline plan: grain sku x month, firm inside the frozen
    horizon; also written to reports/<cycle>/mps.csv for the ERP import."""
    cycle = cycle_of(context)
    schedule = build_mps(warehouse.read("supply_plan", cycle), cycle, settings.frozen_months)
    warehouse.write(cycle, mps=schedule)
    path = write_mps_csv(schedule, cycle_folder(Path(settings.reports_dir), cycle) / MPS_FILE)
    return MaterializeResult(
        metadata={
            "rows": len(schedule),
            "firm_quantity": float(schedule.loc[schedule["firm"], "quantity"].sum()),
            "path": str(path.resolve()),
        }
    )
