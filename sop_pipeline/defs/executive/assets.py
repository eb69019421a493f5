"""Step 5, executive S&OP: the KPI table and the meeting pack."""

import os

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from sop_pipeline.core.executive.kpi import KpiInputs, compute_kpi_table
from sop_pipeline.core.executive.pack import DEFAULT_CURRENCY, PackInputs, render_sop_pack
from sop_pipeline.core.executive.plan_changes import PlanChangesInputs, change_summary
from sop_pipeline.core.executive.plan_changes import plan_changes as compute_plan_changes
from sop_pipeline.defs.catalogue import OWNERS, table_definition, written
from sop_pipeline.defs.executive.metadata import kpi_figures
from sop_pipeline.defs.inputs import input_deps, read_inputs
from sop_pipeline.defs.partitions import cycle_of, cycle_partitions
from sop_pipeline.defs.publish.files import run_files_folder
from sop_pipeline.defs.resources import PlanningSettings, WarehouseResource
from sop_pipeline.io.reports import write_sop_pack

GROUP = "executive"


def pack_currency() -> str:
    """The currency the pack shows money in: $SOP_CURRENCY when a run starts, else EUR."""
    return (os.environ.get("SOP_CURRENCY") or DEFAULT_CURRENCY).strip().upper()


@asset(
    group_name=GROUP,
    partitions_def=cycle_partitions,
    deps=input_deps(KpiInputs, "kpi"),
    kinds={"python", "table"},
    owners=OWNERS,
    metadata=table_definition("kpi"),
)
def kpi(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    """The cycle's KPIs: grain scenario x kpi x scope (total, family, region, sku, resource).
    A KPI whose input is absent is left out; the run log and metadata say why."""
    cycle = cycle_of(context)
    table = compute_kpi_table(read_inputs(KpiInputs, warehouse, cycle), cycle)
    warehouse.write(cycle, kpi=table.rows)
    for name, reason in table.left_out.items():
        context.log.warning(f"KPI {name} left out: {reason}")
    return MaterializeResult(
        metadata={**written(warehouse, "kpi", len(table.rows)), **kpi_figures(table)}
    )


@asset(
    group_name=GROUP,
    partitions_def=cycle_partitions,
    deps=input_deps(PlanChangesInputs),
    kinds={"python", "table"},
    owners=OWNERS,
    metadata=table_definition("plan_changes"),
)
def plan_changes(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    """What changed since last month: the baseline's demand, production, served demand and
    revenue against the previous cycle's plan for the same months, each change split by cause;
    grain family x month (no rows in a first cycle)."""
    cycle = cycle_of(context)
    changes = compute_plan_changes(read_inputs(PlanChangesInputs, warehouse, cycle), cycle)
    warehouse.write(cycle, plan_changes=changes)
    totals = change_summary(changes)
    figures = {name: round(totals[name], 1) for name in ("demand_change", "revenue_change")}
    return MaterializeResult(
        metadata={**written(warehouse, "plan_changes", len(changes)), **figures}
    )


@asset(
    group_name=GROUP,
    partitions_def=cycle_partitions,
    deps=input_deps(PackInputs),
    kinds={"html"},
    owners=OWNERS,
)
def sop_pack(
    context: AssetExecutionContext, warehouse: WarehouseResource, settings: PlanningSettings
) -> MaterializeResult:
    """The executive meeting pack of the cycle, self-contained: sop_pack.html, written to
    reports/.pending/<cycle>/<run id>/ until the `publish` step moves it to reports/<cycle>/
    once the whole cycle is published."""
    cycle = cycle_of(context)
    pack = read_inputs(PackInputs, warehouse, cycle)
    html = render_sop_pack(pack, cycle, pack_currency())
    path = write_sop_pack(html, run_files_folder(context, warehouse, settings, cycle))
    return MaterializeResult(
        metadata={"path": MetadataValue.path(str(path.resolve())), "bytes": path.stat().st_size}
    )
