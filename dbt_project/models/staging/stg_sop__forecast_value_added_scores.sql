with source as (

    select * from {{ source('sop', 'forecast_value_added') }}

),

renamed as (

    select
        cast("cycle" as date) as cycle,
        cast("lag" as bigint) as lag_months,
        cast("scope_type" as varchar) as scope_type,
        cast("scope" as varchar) as scope,
        cast("month" as date) as month,
        cast("series" as bigint) as series,
        cast("actual" as double precision) as actual,
        cast("naive" as double precision) as naive,
        cast("statistical" as double precision) as statistical,
        cast("consensus" as double precision) as consensus,
        cast("naive_wape" as double precision) as naive_wape,
        cast("statistical_wape" as double precision) as statistical_wape,
        cast("consensus_wape" as double precision) as consensus_wape,
        cast("statistical_bias" as double precision) as statistical_bias,
        cast("consensus_bias" as double precision) as consensus_bias,
        cast("statistical_mape" as double precision) as statistical_mape,
        cast("consensus_mape" as double precision) as consensus_mape,
        cast("statistical_tracking_signal" as double precision) as statistical_tracking_signal,
        cast("consensus_tracking_signal" as double precision) as consensus_tracking_signal,
        cast("fva_statistical" as double precision) as fva_statistical,
        cast("fva_consensus" as double precision) as fva_consensus
    from source

)

select * from renamed
