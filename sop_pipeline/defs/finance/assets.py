"""Step 4, pre-S&OP reconciliation: the plan in money, against the budget."""

from dagster import AssetExecutionContext, MaterializeResult, asset

from sop_pipeline.core.finance.plan import build_financial_plan
from sop_pipeline.defs.inputs import read_export, read_optional
from sop_pipeline.defs.partitions import cycle_of, cycle_partitions
from sop_pipeline.defs.resources import WarehouseResource


@asset(
    group_name="pre_sop",
    partitions_def=cycle_partitions,
    deps=["supply_plan", "demand_plan", "items", "budget"],
    kinds={"python"},
)
def financial_plan(
    context: AssetExecutionContext, warehouse: WarehouseResource
) -> MaterializeResult:
    """Revenue, COGS and margin of each scenario's plan against budget: grain
    scenario x family x month."""
    cycle = cycle_of(context)
    plan = build_financial_plan(
        warehouse.read("supply_plan", cycle),
        warehouse.read("demand_plan", cycle),
        read_export(warehouse, "items", cycle),
        read_optional(warehouse, "budget", cycle),
    )
    warehouse.write(cycle, financial_plan=plan)
    baseline = plan[plan["scenario"] == "baseline"]
    return MaterializeResult(
        metadata={
            "rows": len(plan),
            "baseline_revenue": float(baseline["revenue"].sum()),
            "baseline_gross_margin": float(baseline["gross_margin"].sum()),
            "margin_lost_to_capacity": float(
                (baseline["unconstrained_gross_margin"] - baseline["gross_margin"]).sum()
            ),
            "budget_revenue": float(baseline["budget_revenue"].sum()),
        }
    )
