{{ config(meta={'dagster': {'ref': {'name': 'forecast_accuracy_trend'}}}) }}
-- Coherent totals: the families of a cycle and lag add up to every scored forecast of the
-- source table, so no SKU is lost or counted twice by the family lookup. Checked on the cycles
-- the run rebuilt (another cycle's sources may be newer than its mart rows until its own run).
-- Returns the cycle-lags whose totals differ.
with trend as (

    select
        cycle,
        lag_months,
        sum(forecast_points) as forecast_points,
        sum(actual_quantity) as actual_quantity,
        sum(abs_error) as abs_error
    from {{ ref('forecast_accuracy_trend') }}
    where {{ in_cycle_window('cycle') if execute else 'true' }}
    group by cycle, lag_months

),

source_totals as (

    select
        cycle,
        lag_months,
        count(*) as forecast_points,
        sum(actual_quantity) as actual_quantity,
        sum(abs_error) as abs_error
    from {{ ref('stg_sop__forecast_accuracies') }}
    where {{ in_cycle_window('cycle') if execute else 'true' }}
    group by cycle, lag_months

)

select
    coalesce(trend.cycle, source_totals.cycle) as cycle,
    coalesce(trend.lag_months, source_totals.lag_months) as lag_months,
    trend.forecast_points as mart_points,
    source_totals.forecast_points as source_points
from trend
full outer join source_totals
    on trend.cycle = source_totals.cycle
    and trend.lag_months = source_totals.lag_months
where trend.cycle is null
    or source_totals.cycle is null
    or trend.forecast_points <> source_totals.forecast_points
    or abs(trend.actual_quantity - source_totals.actual_quantity)
    > 1e-6 * greatest(1, abs(source_totals.actual_quantity))
    or abs(trend.abs_error - source_totals.abs_error)
    > 1e-6 * greatest(1, abs(source_totals.abs_error))
