with source as (

    select * from {{ source('sop', 'open_orders') }}

),

renamed as (

    select
        cast("cycle" as date) as cycle,
        cast("order_id" as varchar) as order_id,
        cast("line" as varchar) as line_number,
        cast("sku" as varchar) as sku,
        cast("region" as varchar) as region,
        cast("requested_date" as date) as requested_date,
        cast("quantity" as double precision) as open_quantity
    from source

)

select * from renamed
