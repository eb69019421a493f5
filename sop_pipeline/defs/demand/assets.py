"""Step 2, demand review: statistical forecast, accuracy of past cycles, demand plan."""

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
from dagster import AssetExecutionContext, MaterializeResult, asset

from sop_pipeline.core.demand_plan import build_demand_plan
from sop_pipeline.core.forecasting.accuracy import LAGS, bias, wape
from sop_pipeline.core.forecasting.accuracy import forecast_accuracy as evaluate_accuracy
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


@asset(
    group_name=GROUP,
    partitions_def=cycle_partitions,
    deps=["sales_actuals", "items"],
    kinds={"python", "statsforecast"},
)
def statistical_forecast(
    context: AssetExecutionContext, warehouse: WarehouseResource, settings: PlanningSettings
) -> MaterializeResult:
    """Statistical forecast of the cycle: grain sku x region x month over the horizon, with the
    model chosen per series and 80/95 % intervals."""
    cycle = cycle_of(context)
    context.log.info(f"forecasting cycle {cycle:%Y-%m} over {settings.horizon_months} months")
    # imported here: statsforecast takes seconds to import, the definitions should load fast
    from sop_pipeline.core.forecasting.demand import forecast_demand

    with worker_friendly_sigterm():
        forecast = forecast_demand(
            warehouse.read("sales_actuals", cycle),
            read_export(warehouse, "items", cycle),
            cycle,
            horizon=settings.horizon_months,
            season_length=settings.season_length,
        )
    warehouse.write(cycle, statistical_forecast=forecast)
    series = forecast[["sku", "region"]].drop_duplicates()
    models = forecast.drop_duplicates(["sku", "region"])["model"].value_counts()
    return MaterializeResult(
        metadata={
            "rows": len(forecast),
            "series": len(series),
            "models_chosen": ", ".join(f"{m}: {n}" for m, n in models.items()),
            "forecast_next_3_months": float(
                forecast[forecast["month"] < cycle + pd.DateOffset(months=3)]["forecast"].sum()
            ),
        }
    )


@asset(
    group_name=GROUP,
    partitions_def=cycle_partitions,
    deps=["statistical_forecast", "sales_actuals"],
    kinds={"python"},
)
def forecast_accuracy(
    context: AssetExecutionContext, warehouse: WarehouseResource
) -> MaterializeResult:
    """How earlier cycles' forecasts did on the month whose actuals just arrived: grain
    sku x region x month x lag (lag 1 = the first month a cycle plans)."""
    cycle = cycle_of(context)
    # only the cycles whose forecasts are scored, not the whole growing plan history
    made_by = [cycle - pd.DateOffset(months=lag) for lag in LAGS]
    history = pd.concat(
        [warehouse.read("statistical_forecast", c).assign(cycle=c) for c in made_by],
        ignore_index=True,
    )
    accuracy = evaluate_accuracy(history, warehouse.read("sales_actuals", cycle), cycle)
    warehouse.write(cycle, forecast_accuracy=accuracy)
    metadata: dict[str, float | int] = {"rows": len(accuracy)}
    for lag in sorted(accuracy["lag"].unique()):
        at_lag = accuracy[accuracy["lag"] == lag]
        metadata[f"accuracy_lag{lag}"] = 1 - wape(at_lag)
        metadata[f"bias_lag{lag}"] = bias(at_lag)
    if not len(accuracy):
        context.log.info("no earlier cycle forecast this month yet: accuracy starts next cycle")
    return MaterializeResult(metadata=metadata)


@asset(
    group_name=GROUP,
    partitions_def=cycle_partitions,
    deps=["statistical_forecast", "items", "promotions", "crm_pipeline", "demand_overrides"],
    kinds={"python"},
)
def demand_plan(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    """Unconstrained demand plan: grain sku x region x month; statistical forecast plus events,
    CRM pipeline, new products and planner overrides."""
    cycle = cycle_of(context)
    plan = build_demand_plan(
        warehouse.read("statistical_forecast", cycle),
        read_export(warehouse, "items", cycle),
        cycle,
        read_optional(warehouse, "promotions", cycle),
        read_optional(warehouse, "crm_pipeline", cycle),
        read_optional(warehouse, "demand_overrides", cycle),
    )
    warehouse.write(cycle, demand_plan=plan)
    layers = ["statistical", "event_uplift", "pipeline", "new_product", "override", "demand"]
    return MaterializeResult(
        metadata={"rows": len(plan), **{f"total_{c}": float(plan[c].sum()) for c in layers}}
    )
