"""Step 2, demand review: coherent statistical forecast, accuracy of past cycles and the value
each step adds, demand plan and the planners' override log."""

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
from dagster import (
    AssetExecutionContext,
    AssetSpec,
    MaterializeResult,
    MetadataValue,
    asset,
    multi_asset,
)

from sop_pipeline.core.demand.accuracy import LAGS, scored_forecasts
from sop_pipeline.core.demand.plan import plan_demand
from sop_pipeline.core.demand.value_added import forecast_value_added as value_added_of
from sop_pipeline.defs.demand.charts import family_accuracy_markdown, forecast_charts_markdown
from sop_pipeline.defs.demand.metadata import (
    demand_plan_figures,
    forecast_accuracy_figures,
    forecast_hierarchy_figures,
    forecast_value_added_figures,
    override_log_figures,
    statistical_forecast_figures,
)
from sop_pipeline.defs.inputs import read_export, read_optional
from sop_pipeline.defs.partitions import cycle_of, cycle_partitions
from sop_pipeline.defs.resources import PlanningSettings, WarehouseResource

GROUP = "demand_review"


@contextmanager
def worker_friendly_sigterm() -> Iterator[None]:
    """Default SIGTERM handling while statsforecast forks its worker pool. Dagster's handler,
    inherited by the workers, turns the pool's normal shutdown into tracebacks."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@multi_asset(
    specs=[
        AssetSpec(
            "statistical_forecast",
            group_name=GROUP,
            deps=["sales_actuals", "items"],
            kinds={"python", "statsforecast"},
            description="reconciled bottom level: grain cycle x sku x region x month",
        ),
        AssetSpec(
            "forecast_hierarchy",
            group_name=GROUP,
            deps=["sales_actuals", "items"],
            kinds={"python", "hierarchicalforecast"},
            description="every level, base and reconciled: grain cycle x level x node x month",
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
    # imported here: statsforecast takes seconds to import, the definitions should load fast
    from sop_pipeline.core.demand.forecast import forecast_levels

    sales = warehouse.read("sales_actuals", cycle)
    items = read_export(warehouse, "items", cycle)
    with worker_friendly_sigterm():
        levels = forecast_levels(
            sales,
            items,
            cycle,
            horizon=settings.horizon_months,
            season_length=settings.season_length,
        )
    warehouse.write(
        cycle, statistical_forecast=levels.statistical, forecast_hierarchy=levels.hierarchy
    )
    yield MaterializeResult(
        asset_key="statistical_forecast",
        metadata={
            **statistical_forecast_figures(levels.statistical, cycle),
            "accuracy_by_family": MetadataValue.md(
                _family_accuracy(warehouse, cycle, sales, items)
            ),
            "forecast_top_families": MetadataValue.md(
                forecast_charts_markdown(sales, items, levels.hierarchy)
            ),
        },
    )
    yield MaterializeResult(
        asset_key="forecast_hierarchy", metadata=forecast_hierarchy_figures(levels.hierarchy)
    )


@asset(
    group_name=GROUP,
    partitions_def=cycle_partitions,
    deps=["statistical_forecast", "demand_plan", "sales_actuals"],
    kinds={"python"},
)
def forecast_accuracy(
    context: AssetExecutionContext, warehouse: WarehouseResource
) -> MaterializeResult:
    """How earlier cycles' forecasts did on the month whose actuals just arrived: grain
    sku x region x month x lag (lag 1 = the first month a cycle plans), with the seasonal
    naive and consensus forecasts beside the statistical one."""
    cycle = cycle_of(context)
    accuracy = _scored(warehouse, cycle, warehouse.read("sales_actuals", cycle))
    warehouse.write(cycle, forecast_accuracy=accuracy)
    if not len(accuracy):
        context.log.info("no earlier cycle forecast this month yet: accuracy starts next cycle")
    return MaterializeResult(metadata=forecast_accuracy_figures(accuracy))


@asset(
    group_name=GROUP,
    partitions_def=cycle_partitions,
    deps=["forecast_accuracy", "items"],
    kinds={"python"},
)
def forecast_value_added(
    context: AssetExecutionContext, warehouse: WarehouseResource
) -> MaterializeResult:
    """Seasonal naive vs statistical vs consensus on the month whose actuals just arrived:
    grain lag x scope_type (total, family, region, sku) x scope, with WAPE, bias, MAPE,
    tracking signals and the value each step adds."""
    cycle = cycle_of(context)
    value_added = value_added_of(
        warehouse.read("forecast_accuracy", cycle),
        read_export(warehouse, "items", cycle),
        _value_added_history(warehouse, cycle),
    )
    warehouse.write(cycle, forecast_value_added=value_added)
    if not len(value_added):
        context.log.info("no earlier cycle forecast this month yet: FVA starts next cycle")
    return MaterializeResult(metadata=forecast_value_added_figures(value_added))


@multi_asset(
    specs=[
        AssetSpec(
            "demand_plan",
            group_name=GROUP,
            deps=["statistical_forecast", "items", "promotions", "crm_pipeline"],
            kinds={"python"},
            description="unconstrained demand by layer: grain cycle x sku x region x month",
        ),
        AssetSpec(
            "override_log",
            group_name=GROUP,
            deps=["demand_overrides", "statistical_forecast", "items"],
            kinds={"python"},
            description="every planner override with author, reason and verdict",
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
    review = plan_demand(
        warehouse.read("statistical_forecast", cycle),
        read_export(warehouse, "items", cycle),
        cycle,
        read_optional(warehouse, "promotions", cycle),
        read_optional(warehouse, "crm_pipeline", cycle),
        read_optional(warehouse, "demand_overrides", cycle),
        firm_months=settings.frozen_months,
    )
    warehouse.write(cycle, demand_plan=review.plan, override_log=review.override_log)
    yield MaterializeResult(asset_key="demand_plan", metadata=demand_plan_figures(review.plan))
    yield MaterializeResult(
        asset_key="override_log", metadata=override_log_figures(review.override_log)
    )


def _earlier(warehouse: WarehouseResource, table: str, cycle: pd.Timestamp) -> pd.DataFrame:
    """Rows of `table` made by the cycles whose forecasts are scored now (not the whole
    growing plan history), with `cycle`."""
    made_by = [cycle - pd.DateOffset(months=lag) for lag in LAGS]
    frames = [warehouse.read(table, c).assign(cycle=c) for c in made_by]
    present = [frame for frame in frames if len(frame)]
    return pd.concat(present, ignore_index=True) if present else frames[0]


def _scored(warehouse: WarehouseResource, cycle: pd.Timestamp, sales: pd.DataFrame) -> pd.DataFrame:
    """The forecast_accuracy rows of the cycle, from the earlier cycles' forecasts and plans."""
    return scored_forecasts(
        _earlier(warehouse, "statistical_forecast", cycle),
        sales,
        cycle,
        _earlier(warehouse, "demand_plan", cycle),
    )


def _value_added_history(warehouse: WarehouseResource, cycle: pd.Timestamp) -> pd.DataFrame:
    """forecast_value_added rows of the cycles before, for the tracking signals."""
    return warehouse.read("forecast_value_added", cycle - pd.DateOffset(months=1), upto=True)


def _family_accuracy(
    warehouse: WarehouseResource, cycle: pd.Timestamp, sales: pd.DataFrame, items: pd.DataFrame
) -> str:
    """Accuracy by family for the forecast's metadata. The forecast asset runs before
    forecast_accuracy, so it scores the earlier cycles' forecasts itself (cheap)."""
    scored = _scored(warehouse, cycle, sales)
    return family_accuracy_markdown(
        value_added_of(scored, items, _value_added_history(warehouse, cycle))
    )
