with source as (

    select * from {{ source('sop', 'demand_overrides') }}

),

renamed as (

    select
        cast("cycle" as date) as cycle,
        cast("sku" as varchar) as sku,
        cast("region" as varchar) as region,
        cast("month" as date) as month,
        cast("override_quantity" as double precision) as override_quantity,
        cast("adjustment_pct" as double precision) as adjustment_pct,
        cast("author" as varchar) as author,
        cast("reason" as varchar) as reason
    from source

)

select * from renamed
