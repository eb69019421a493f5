with source as (

    select * from {{ source('sop', 'production_orders') }}

),

renamed as (

    select
        cast("cycle" as date) as cycle,
        cast("order_id" as varchar) as order_id,
        cast("sku" as varchar) as sku,
        cast("start_date" as date) as start_date,
        cast("finish_date" as date) as finish_date,
        cast("quantity" as double precision) as produced_quantity
    from source

)

select * from renamed
