"""Step 4, pre-S&OP reconciliation: the plan in money, against the budget."""

from dagster import AssetExecutionContext, MaterializeResult, asset

from sop_pipeline.core.finance.inputs import FinanceInputs, plan_finances
from sop_pipeline.defs.catalogue import OWNERS, table_definition, written
from sop_pipeline.defs.finance.metadata import financial_plan_figures
from sop_pipeline.defs.inputs import input_deps, read_inputs
from sop_pipeline.defs.partitions import cycle_of, cycle_partitions
from sop_pipeline.defs.resources import WarehouseResource


@asset(
    group_name="pre_sop",
    partitions_def=cycle_partitions,
    deps=input_deps(FinanceInputs),
    kinds={"python", "table"},
    owners=OWNERS,
    metadata=table_definition("financial_plan"),
)
def financial_plan(
    context: AssetExecutionContext, warehouse: WarehouseResource
) -> MaterializeResult:
    """Revenue, COGS and margin of each scenario's plan against budget: grain
    scenario x family x month."""
    cycle = cycle_of(context)
    plan = plan_finances(read_inputs(FinanceInputs, warehouse, cycle))
    warehouse.write(cycle, financial_plan=plan)
    return MaterializeResult(
        metadata={**written(warehouse, "financial_plan", len(plan)), **financial_plan_figures(plan)}
    )
