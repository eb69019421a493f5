"""Step 6, implementation: the approved plan handed to ERP as a master production schedule."""

import inspect

from dagster import (
    AssetExecutionContext,
    AssetSpec,
    CodeReferencesMetadataValue,
    LocalFileCodeReference,
    MaterializeResult,
    MetadataValue,
    asset,
)

from sop_pipeline.core.implementation.inputs import MpsInputs, master_schedule, published_schedule
from sop_pipeline.defs.catalogue import OWNERS, readable, table_definition, written
from sop_pipeline.defs.inputs import input_deps, read_inputs
from sop_pipeline.defs.partitions import cycle_of, cycle_partitions
from sop_pipeline.defs.publish.files import run_files_folder
from sop_pipeline.defs.resources import PlanningSettings, WarehouseResource
from sop_pipeline.io import approvals
from sop_pipeline.io.reports import MPS_FILE, write_mps_csv

# the code that writes them: the command's recording function
WRITER = CodeReferencesMetadataValue(
    code_references=[
        LocalFileCodeReference(
            file_path=inspect.getfile(approvals.record_approval),
            line_number=inspect.getsourcelines(approvals.record_approval)[1],
        )
    ]
)


def approval_table(table: str, description: str) -> AssetSpec:
    """A table written by `sop approve` outside any run (the executive S&OP's decision, not a
    computation): declared so that what reads it (the next cycle's supply review, dbt) has a
    real edge in the asset graph."""
    return AssetSpec(
        table,
        group_name="implementation",
        partitions_def=cycle_partitions,
        kinds={"python", "table"},
        owners=OWNERS,
        description=f"{description}; written by `sop approve`.",
        metadata={**table_definition(table), "dagster/code_references": WRITER},
    )


released_mps = approval_table(
    "released_mps",
    "The approved scenario's MPS of a cycle (grain sku x month), pinned by the next cycle's "
    "frozen zone",
)
plan_approvals = approval_table(
    "plan_approvals", "Every approval of a cycle (append-only, the latest wins)"
)
decisions = approval_table(
    "decisions", "What the latest approval of a cycle decided (grain topic x subject)"
)


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
    """Proposed master production schedule of the baseline plan: grain sku x month, firm inside
    the frozen horizon, status proposed; also written as mps.csv for the ERP import (the released
    MPS instead when the cycle is already approved), to reports/.pending/<cycle>/<run id>/ until
    the `publish` step moves it to reports/<cycle>/ once the whole cycle is published."""
    cycle = cycle_of(context)
    inputs = read_inputs(MpsInputs, warehouse, cycle)
    schedule = master_schedule(inputs, cycle, settings.frozen_months)
    warehouse.write(cycle, mps=schedule)
    pending = run_files_folder(context, warehouse, settings, cycle)
    path = write_mps_csv(published_schedule(inputs, schedule), pending / MPS_FILE)
    firm = float(schedule.loc[schedule["firm"], "quantity"].sum())
    return MaterializeResult(
        metadata={
            **written(warehouse, "mps", len(schedule)),
            **readable({"firm_quantity": firm}),
            "path": MetadataValue.path(str(path.resolve())),
        }
    )
