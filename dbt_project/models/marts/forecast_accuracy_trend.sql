-- How good past forecasts were, cycle after cycle: the errors of the forecasts scored in each
-- cycle, summed per forecast lag and product family. The sums travel with the ratios so that a
-- BI tool can add families up (WAPE of a total = Σ abs_error / Σ actual, never a mean of WAPEs).
with errors as (

    select * from {{ ref('stg_sop__forecast_accuracies') }}
    {% if is_incremental() %}
    where {{ in_cycle_window('cycle') }}
    {% endif %}

),

with_family as (

    select
        errors.*,
        -- the family the SKU had in the scored cycle, else its last known one
        coalesce(same_cycle.family, latest.family, 'unassigned') as family
    from errors
    left join {{ ref('stg_sop__items') }} as same_cycle
        on errors.cycle = same_cycle.cycle
        and errors.sku = same_cycle.sku
    left join {{ ref('int_items_deduplicated') }} as latest
        on errors.sku = latest.sku

),

summed as (

    select
        cycle,
        lag_months,
        family,
        count(distinct sku || '|' || region) as series,
        count(*) as forecast_points,
        sum(actual_quantity) as actual_quantity,
        sum(forecast_quantity) as forecast_quantity,
        sum(abs_error) as abs_error,
        sum(abs(actual_quantity - naive_quantity)) as naive_abs_error,
        sum(case when consensus_quantity is not null then actual_quantity end)
            as consensus_actual_quantity,
        sum(abs(actual_quantity - consensus_quantity)) as consensus_abs_error
    from with_family
    group by cycle, lag_months, family

)

select
    cycle,
    lag_months,
    family,
    series,
    forecast_points,
    actual_quantity,
    forecast_quantity,
    abs_error,
    case when actual_quantity > 0 then abs_error / actual_quantity end as wape,
    case when actual_quantity > 0 then 1 - abs_error / actual_quantity end as forecast_accuracy,
    case
        when actual_quantity > 0 then (forecast_quantity - actual_quantity) / actual_quantity
    end as forecast_bias,
    naive_abs_error,
    consensus_actual_quantity,
    consensus_abs_error,
    -- forecast value added: WAPE points the statistics win over the naive forecast
    case
        when actual_quantity > 0 then (naive_abs_error - abs_error) / actual_quantity
    end as fva_statistical
from summed
