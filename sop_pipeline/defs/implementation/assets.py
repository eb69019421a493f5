"""Step 6, implementation: the approved plan handed to ERP as a master production schedule."""

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from sop_pipeline.core.implementation.inputs import MpsInputs, master_schedule
from sop_pipeline.defs.catalogue import OWNERS, readable, table_definition, written
from sop_pipeline.defs.inputs import input_deps, read_inputs
from sop_pipeline.defs.partitions import cycle_of, cycle_partitions
from sop_pipeline.defs.resources import PlanningSettings, WarehouseResource
from sop_pipeline.io.pending_files import pending_reports
from sop_pipeline.io.reports import MPS_FILE, cycle_folder, write_mps_csv


@asset(
    group_name="implementation",
    partitions_def=cycle_partitions,
    deps=input_deps(MpsInputs),
    kinds={"python", "csv", "table"},
    owners=OWNERS,
    metadata=table_definition("mps"),
)
def mps(
    context: AssetExecutionContext, warehouse: WarehouseResource, settings: PlanningSettings
) -> MaterializeResult:
    """Master production schedule of the baseline plan: grain sku x month, firm inside the frozen
    horizon; also written as mps.csv for the ERP import, to reports/.pending/<cycle>/ until the
    `publish` step moves it to reports/<cycle>/ once the whole cycle succeeded."""
    cycle = cycle_of(context)
    inputs = read_inputs(MpsInputs, warehouse, cycle)
    schedule = master_schedule(inputs, cycle, settings.frozen_months)
    warehouse.write(cycle, mps=schedule)
    pending = cycle_folder(pending_reports(settings.reports_dir), cycle)
    path = write_mps_csv(schedule, pending / MPS_FILE)
    firm = float(schedule.loc[schedule["firm"], "quantity"].sum())
    return MaterializeResult(
        metadata={
            **written(warehouse, "mps", len(schedule)),
            **readable({"firm_quantity": firm}),
            "path": MetadataValue.path(str(path.resolve())),
        }
    )
