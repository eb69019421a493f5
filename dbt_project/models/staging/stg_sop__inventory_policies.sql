with source as (

    select * from {{ source('sop', 'inventory_policy') }}

),

renamed as (

    select
        cast("cycle" as date) as cycle,
        cast("sku" as varchar) as sku,
        cast("service_level" as double precision) as service_level,
        cast("safety_stock_method" as varchar) as safety_stock_method,
        cast("min_cover_months" as double precision) as min_cover_months,
        cast("max_cover_months" as double precision) as max_cover_months
    from source

)

select * from renamed
