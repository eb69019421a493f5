"""Step 2, demand review: coherent statistical forecast, accuracy of past cycles and the value
each step adds, demand plan and the planners' override log."""

from dagster import (
    AssetExecutionContext,
    MaterializeResult,
    MetadataValue,
    asset,
    multi_asset,
)

from sop_pipeline.core.demand.inputs import (
    AccuracyInputs,
    DemandPlanInputs,
    ForecastInputs,
    ValueAddedInputs,
    consensus_plan,
    forecast_cycle,
    score_forecasts,
    value_added,
)
from sop_pipeline.defs.catalogue import (
    OWNERS,
    frame_table,
    readable,
    table_definition,
    table_spec,
    written,
)
from sop_pipeline.defs.demand.charts import forecast_charts_markdown
from sop_pipeline.defs.demand.metadata import (
    demand_plan_figures,
    family_accuracy,
    forecast_accuracy_figures,
    forecast_hierarchy_figures,
    forecast_value_added_figures,
    override_log_figures,
    statistical_forecast_figures,
)
from sop_pipeline.defs.demand.workers import worker_friendly_sigterm
from sop_pipeline.defs.inputs import input_deps, read_inputs
from sop_pipeline.defs.partitions import cycle_of, cycle_partitions
from sop_pipeline.defs.progress import progress_reporter
from sop_pipeline.defs.resources import PlanningSettings, WarehouseResource

GROUP = "demand_review"


FORECAST_TABLES = ("statistical_forecast", "forecast_hierarchy")


@multi_asset(
    specs=[
        table_spec(
            "statistical_forecast",
            GROUP,
            ForecastInputs,
            FORECAST_TABLES,
            {"python", "statsforecast"},
            "reconciled bottom level: grain cycle x sku x region x month",
        ),
        table_spec(
            "forecast_hierarchy",
            GROUP,
            ForecastInputs,
            FORECAST_TABLES,
            {"python", "hierarchicalforecast"},
            "every level, base and reconciled: grain cycle x level x node x month",
        ),
    ],
    partitions_def=cycle_partitions,
)
def coherent_forecast(
    context: AssetExecutionContext, warehouse: WarehouseResource, settings: PlanningSettings
):  # noqa: ANN201 - yields one MaterializeResult per table
    """Statistical forecast of the cycle at every level of the hierarchy, reconciled, with the
    model chosen per node and 80/95 % intervals."""
    cycle = cycle_of(context)
    context.log.info(f"forecasting cycle {cycle:%Y-%m} over {settings.horizon_months} months")
    inputs = read_inputs(ForecastInputs, warehouse, cycle)
    series_done = progress_reporter(context.log, "series forecast")
    with worker_friendly_sigterm():
        levels = forecast_cycle(
            inputs, cycle, settings.horizon_months, settings.season_length, series_done
        )
    warehouse.write(
        cycle, statistical_forecast=levels.statistical, forecast_hierarchy=levels.hierarchy
    )
    charts = forecast_charts_markdown(inputs.sales_actuals, inputs.items, levels.hierarchy)
    yield MaterializeResult(
        asset_key="statistical_forecast",
        metadata={
            **written(warehouse, "statistical_forecast", len(levels.statistical)),
            **readable(statistical_forecast_figures(levels.statistical, cycle)),
            "forecast_top_families": MetadataValue.md(charts),
        },
    )
    yield MaterializeResult(
        asset_key="forecast_hierarchy",
        metadata={
            **written(warehouse, "forecast_hierarchy", len(levels.hierarchy)),
            **readable(forecast_hierarchy_figures(levels.hierarchy, levels.reconciliation)),
        },
    )


@asset(
    group_name=GROUP,
    partitions_def=cycle_partitions,
    deps=input_deps(AccuracyInputs),
    kinds={"python", "table"},
    owners=OWNERS,
    metadata=table_definition("forecast_accuracy"),
)
def forecast_accuracy(
    context: AssetExecutionContext, warehouse: WarehouseResource
) -> MaterializeResult:
    """How earlier cycles' forecasts did on the month whose actuals just arrived: grain
    sku x region x month x lag (lag 1 = the first month a cycle plans), with the seasonal
    naive and consensus forecasts beside the statistical one."""
    cycle = cycle_of(context)
    accuracy = score_forecasts(read_inputs(AccuracyInputs, warehouse, cycle), cycle)
    warehouse.write(cycle, forecast_accuracy=accuracy)
    if not len(accuracy):
        context.log.info("no earlier cycle forecast this month yet: accuracy starts next cycle")
    return MaterializeResult(
        metadata={
            **written(warehouse, "forecast_accuracy", len(accuracy)),
            **readable(forecast_accuracy_figures(accuracy)),
        }
    )


@asset(
    group_name=GROUP,
    partitions_def=cycle_partitions,
    deps=input_deps(ValueAddedInputs, "forecast_value_added"),
    kinds={"python", "table"},
    owners=OWNERS,
    metadata=table_definition("forecast_value_added"),
)
def forecast_value_added(
    context: AssetExecutionContext, warehouse: WarehouseResource
) -> MaterializeResult:
    """Seasonal naive vs statistical vs consensus on the month whose actuals just arrived:
    grain lag x scope_type (total, family, region, sku) x scope, with WAPE, bias, MAPE,
    tracking signals and the value each step adds."""
    cycle = cycle_of(context)
    rows = value_added(read_inputs(ValueAddedInputs, warehouse, cycle))
    warehouse.write(cycle, forecast_value_added=rows)
    if not len(rows):
        context.log.info("no earlier cycle forecast this month yet: FVA starts next cycle")
    return MaterializeResult(
        metadata={
            **written(warehouse, "forecast_value_added", len(rows)),
            **readable(forecast_value_added_figures(rows)),
            "accuracy_by_family": frame_table(family_accuracy(rows)),
        }
    )


PLAN_TABLES = ("demand_plan", "override_log")


@multi_asset(
    specs=[
        table_spec(
            "demand_plan",
            GROUP,
            DemandPlanInputs,
            PLAN_TABLES,
            {"python"},
            "unconstrained demand by layer: grain cycle x sku x region x month",
        ),
        table_spec(
            "override_log",
            GROUP,
            DemandPlanInputs,
            PLAN_TABLES,
            {"python"},
            "every planner override with author, reason and verdict",
        ),
    ],
    partitions_def=cycle_partitions,
)
def consensus_demand(
    context: AssetExecutionContext, warehouse: WarehouseResource, settings: PlanningSettings
):  # noqa: ANN201 - yields one MaterializeResult per table
    """Unconstrained demand plan: statistical forecast plus events, CRM pipeline, new products
    and planner overrides; every override logged, those in the firm window needing a reason."""
    cycle = cycle_of(context)
    inputs = read_inputs(DemandPlanInputs, warehouse, cycle)
    review = consensus_plan(inputs, cycle, firm_months=settings.frozen_months)
    warehouse.write(cycle, demand_plan=review.plan, override_log=review.override_log)
    yield MaterializeResult(
        asset_key="demand_plan",
        metadata={
            **written(warehouse, "demand_plan", len(review.plan)),
            **readable(demand_plan_figures(review.plan)),
        },
    )
    yield MaterializeResult(
        asset_key="override_log",
        metadata={
            **written(warehouse, "override_log", len(review.override_log)),
            **readable(override_log_figures(review.override_log)),
        },
    )
