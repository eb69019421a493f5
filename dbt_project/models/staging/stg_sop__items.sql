with source as (

    select * from {{ source('sop', 'items') }}

),

renamed as (

    select
        cast("cycle" as date) as cycle,
        cast("sku" as varchar) as sku,
        cast("description" as varchar) as description,
        cast("family" as varchar) as family,
        cast("uom" as varchar) as uom,
        cast("unit_cost" as double precision) as unit_cost,
        cast("unit_price" as double precision) as unit_price,
        cast("status" as varchar) as item_status,
        cast("launch_date" as date) as launch_date,
        cast("end_date" as date) as end_date,
        cast("lead_time_months" as bigint) as lead_time_months,
        cast("lot_size" as double precision) as lot_size,
        cast("min_lot" as double precision) as min_lot
    from source

)

select * from renamed
