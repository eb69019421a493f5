with source as (

    select * from {{ source('sop', 'demand_plan') }}

),

renamed as (

    select
        cast("cycle" as date) as cycle,
        cast("sku" as varchar) as sku,
        cast("region" as varchar) as region,
        cast("month" as date) as month,
        cast("statistical" as double precision) as statistical_quantity,
        cast("event_uplift" as double precision) as event_uplift_quantity,
        cast("pipeline" as double precision) as pipeline_quantity,
        cast("new_product" as double precision) as new_product_quantity,
        cast("override" as double precision) as override_quantity,
        cast("demand" as double precision) as demand_quantity
    from source

)

select * from renamed
