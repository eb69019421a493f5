with source as (

    select * from {{ source('sop', 'promotions') }}

),

renamed as (

    select
        cast("cycle" as date) as cycle,
        cast("event_id" as varchar) as event_id,
        cast("sku" as varchar) as sku,
        cast("family" as varchar) as family,
        cast("region" as varchar) as region,
        cast("start_month" as date) as start_month,
        cast("end_month" as date) as end_month,
        cast("uplift_pct" as double precision) as uplift_pct
    from source

)

select * from renamed
