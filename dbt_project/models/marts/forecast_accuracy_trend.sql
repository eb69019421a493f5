-- How good past forecasts were, cycle after cycle: the errors of the forecasts scored in each
-- cycle, summed per forecast lag and product family. The sums travel with the ratios so that a
-- BI tool can add families up (WAPE of a total = Σ abs_error / Σ actual, never a mean of WAPEs).
-- Accuracy, bias and forecast value added are the `kpi` table's figures at the lags it reports
-- (1 and 3; FVA at 1); at the other lags the same definitions, from the same sources.
with errors as (

    select * from {{ ref('stg_sop__forecast_accuracies') }}
    {% if is_incremental() %}
    where {{ in_cycle_window('cycle') }}
    {% endif %}

),

with_family as (

    -- the family the scored cycle's item master gives the SKU, as the KPIs attribute it
    select
        errors.*,
        coalesce(items.family, 'unassigned') as family
    from errors
    left join {{ ref('stg_sop__items') }} as items
        on errors.cycle = items.cycle
        and errors.sku = items.sku

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

),

family_kpis as (

    -- the FVA KPIs keep their source's '' for a SKU without family, the others say 'unassigned'
    select
        cycle,
        coalesce(nullif(scope, ''), 'unassigned') as family,
        case when kpi like '%lag3' then 3 else 1 end as lag_months,
        max(case when kpi like 'forecast_accuracy_lag%' then value end) as forecast_accuracy,
        max(case when kpi like 'forecast_bias%' then value end) as forecast_bias,
        max(case when kpi = 'forecast_value_added_statistical' then value end) as fva_statistical
    from {{ ref('stg_sop__kpis') }}
    where scenario = 'baseline'
        and scope_type = 'family'
        and kpi in (
            'forecast_accuracy_lag1',
            'forecast_accuracy_lag3',
            'forecast_bias',
            'forecast_bias_lag3',
            'forecast_value_added_statistical'
        )
    group by 1, 2, 3

),

family_value_added as (

    -- the table the FVA KPI is taken from, for the lags the KPI does not report; it names a
    -- SKU without family '' where the mart says 'unassigned'
    select
        cycle,
        lag_months,
        coalesce(nullif(scope, ''), 'unassigned') as family,
        fva_statistical
    from {{ ref('stg_sop__forecast_value_added_scores') }}
    where scope_type = 'family'

)

select
    summed.cycle,
    summed.lag_months,
    summed.family,
    summed.series,
    summed.forecast_points,
    summed.actual_quantity,
    summed.forecast_quantity,
    summed.abs_error,
    case
        when summed.actual_quantity > 0 then summed.abs_error / summed.actual_quantity
    end as wape,
    -- at a lag the KPIs report, their figure (null where the KPI left the family out)
    case
        when summed.lag_months in (1, 3) then family_kpis.forecast_accuracy
        when summed.actual_quantity > 0 then 1 - summed.abs_error / summed.actual_quantity
    end as forecast_accuracy,
    case
        when summed.lag_months in (1, 3) then family_kpis.forecast_bias
        when summed.actual_quantity > 0
            then (summed.forecast_quantity - summed.actual_quantity) / summed.actual_quantity
    end as forecast_bias,
    summed.naive_abs_error,
    summed.consensus_actual_quantity,
    summed.consensus_abs_error,
    case
        when summed.lag_months = 1 then family_kpis.fva_statistical
        else family_value_added.fva_statistical
    end as fva_statistical
from summed
left join family_kpis
    on summed.cycle = family_kpis.cycle
    and summed.lag_months = family_kpis.lag_months
    and summed.family = family_kpis.family
left join family_value_added
    on summed.cycle = family_value_added.cycle
    and summed.lag_months = family_value_added.lag_months
    and summed.family = family_value_added.family
