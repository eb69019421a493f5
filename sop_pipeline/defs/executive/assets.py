"""Step 5, executive S&OP: the KPI table and the meeting pack."""

from pathlib import Path

import pandas as pd
from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from sop_pipeline.core.executive.kpi import KpiInputs, compute_kpi_table, kpi_summary
from sop_pipeline.core.executive.pack import TREND_CYCLES, PackInputs, render_sop_pack
from sop_pipeline.defs.inputs import read_export, read_optional
from sop_pipeline.defs.partitions import cycle_of, cycle_partitions
from sop_pipeline.defs.resources import PlanningSettings, WarehouseResource
from sop_pipeline.io.reports import write_sop_pack

GROUP = "executive"


def _previous(warehouse: WarehouseResource, table: str, cycle: pd.Timestamp) -> pd.DataFrame | None:
    rows = warehouse.read(table, cycle - pd.DateOffset(months=1))
    return rows if len(rows) else None


def _total_kpis_of_recent_cycles(warehouse: WarehouseResource, cycle: pd.Timestamp) -> pd.DataFrame:
    """The total-scope KPI rows of the cycles the accuracy trend shows, each with its cycle;
    read cycle by cycle so that the per-SKU rows of older cycles are never loaded."""
    frames = []
    for back in range(TREND_CYCLES):
        earlier = cycle - pd.DateOffset(months=back)
        rows = warehouse.read("kpi", earlier)
        frames.append(rows[rows["scope_type"] == "total"].assign(cycle=earlier))
    return pd.concat(frames, ignore_index=True)


@asset(
    group_name=GROUP,
    partitions_def=cycle_partitions,
    kinds={"python"},
    deps=[
        "demand_plan",
        "supply_plan",
        "resource_load",
        "exceptions",
        "forecast_accuracy",
        "forecast_value_added",
        "statistical_forecast",
        "sales_actuals",
        "financial_plan",
        "inventory",
        "production_orders",
        "budget",
    ],
)
def kpi(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    """The cycle's KPIs: grain scenario x kpi x scope (total, family, region, sku, resource).
    A KPI whose input is absent is left out; the run log and metadata say why."""
    cycle = cycle_of(context)
    inputs = KpiInputs(
        demand_plan=warehouse.read("demand_plan", cycle),
        supply_plan=warehouse.read("supply_plan", cycle),
        resource_load=warehouse.read("resource_load", cycle),
        exceptions=warehouse.read("exceptions", cycle),
        forecast_accuracy=warehouse.read("forecast_accuracy", cycle),
        statistical_forecast=warehouse.read("statistical_forecast", cycle),
        sales_actuals=warehouse.read("sales_actuals", cycle),
        items=read_export(warehouse, "items", cycle),
        inventory=read_export(warehouse, "inventory", cycle),
        budget=read_optional(warehouse, "budget", cycle),
        production_orders=read_optional(warehouse, "production_orders", cycle),
        previous_supply_plan=_previous(warehouse, "supply_plan", cycle),
        previous_kpi=_previous(warehouse, "kpi", cycle),
        financial_plan=warehouse.read("financial_plan", cycle),
        forecast_value_added=warehouse.read("forecast_value_added", cycle),
    )
    table = compute_kpi_table(inputs, cycle)
    kpis = table.rows
    warehouse.write(cycle, kpi=kpis)
    for name, reason in table.left_out.items():
        context.log.warning(f"KPI {name} left out: {reason}")
    summary = kpi_summary(kpis)
    left_out = pd.DataFrame({"kpi": list(table.left_out), "reason": list(table.left_out.values())})
    return MaterializeResult(
        metadata={
            "rows": len(kpis),
            "kpis": int(kpis["kpi"].nunique()),
            "summary": MetadataValue.md(summary.to_markdown(index=False, floatfmt=",.3f")),
            "left_out": MetadataValue.md(
                left_out.to_markdown(index=False) if len(left_out) else "none"
            ),
        }
    )


@asset(
    group_name=GROUP,
    partitions_def=cycle_partitions,
    kinds={"html"},
    deps=["kpi", "financial_plan", "resource_load", "exceptions", "forecast_accuracy"],
)
def sop_pack(
    context: AssetExecutionContext, warehouse: WarehouseResource, settings: PlanningSettings
) -> MaterializeResult:
    """The executive meeting pack of the cycle: reports/<cycle>/sop_pack.html, self-contained."""
    cycle = cycle_of(context)
    pack = PackInputs(
        kpi=warehouse.read("kpi", cycle),
        financial_plan=warehouse.read("financial_plan", cycle),
        resource_load=warehouse.read("resource_load", cycle),
        exceptions=warehouse.read("exceptions", cycle),
        forecast_accuracy=warehouse.read("forecast_accuracy", cycle),
        previous_kpi=_previous(warehouse, "kpi", cycle),
        kpi_history=_total_kpis_of_recent_cycles(warehouse, cycle),
    )
    path = write_sop_pack(render_sop_pack(pack, cycle), Path(settings.reports_dir), cycle)
    return MaterializeResult(
        metadata={"path": MetadataValue.path(str(path.resolve())), "bytes": path.stat().st_size}
    )
