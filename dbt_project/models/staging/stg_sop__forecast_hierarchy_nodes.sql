with source as (

    select * from {{ source('sop', 'forecast_hierarchy') }}

),

renamed as (

    select
        cast("cycle" as date) as cycle,
        cast("level" as varchar) as level,
        cast("node" as varchar) as node,
        cast("sku" as varchar) as sku,
        cast("family" as varchar) as family,
        cast("region" as varchar) as region,
        cast("month" as date) as month,
        cast("model" as varchar) as model,
        cast("base_forecast" as double precision) as base_forecast,
        cast("forecast" as double precision) as forecast,
        cast("lo_80" as double precision) as lo_80,
        cast("hi_80" as double precision) as hi_80,
        cast("lo_95" as double precision) as lo_95,
        cast("hi_95" as double precision) as hi_95
    from source

)

select * from renamed
