with source as (

    select * from {{ source('sop', 'sales_actuals') }}

),

renamed as (

    select
        cast("cycle" as date) as cycle,
        cast("sku" as varchar) as sku,
        cast("region" as varchar) as region,
        cast("month" as date) as month,
        cast("quantity" as double precision) as quantity,
        cast("revenue" as double precision) as revenue
    from source

)

select * from renamed
