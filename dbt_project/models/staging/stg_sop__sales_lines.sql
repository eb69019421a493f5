with source as (

    select * from {{ source('sop', 'sales_lines') }}

),

renamed as (

    select
        cast("cycle" as date) as cycle,
        cast("line_id" as varchar) as line_id,
        cast("ship_date" as date) as ship_date,
        cast("sku" as varchar) as sku,
        cast("customer_id" as varchar) as customer_id,
        cast("region" as varchar) as region,
        cast("quantity" as double precision) as quantity,
        cast("net_revenue" as double precision) as net_revenue
    from source

)

select * from renamed
