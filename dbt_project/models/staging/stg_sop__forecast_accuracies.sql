with source as (

    select * from {{ source('sop', 'forecast_accuracy') }}

),

renamed as (

    select
        cast("cycle" as date) as cycle,
        cast("sku" as varchar) as sku,
        cast("region" as varchar) as region,
        cast("month" as date) as month,
        cast("lag" as bigint) as lag_months,
        cast("forecast" as double precision) as forecast_quantity,
        cast("actual" as double precision) as actual_quantity,
        cast("abs_error" as double precision) as abs_error,
        cast("naive" as double precision) as naive_quantity,
        cast("consensus" as double precision) as consensus_quantity,
        cast("lo_80" as double precision) as lo_80_quantity,
        cast("hi_80" as double precision) as hi_80_quantity
    from source

)

select * from renamed
