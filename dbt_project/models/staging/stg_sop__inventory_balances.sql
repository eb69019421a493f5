with source as (

    select * from {{ source('sop', 'inventory') }}

),

renamed as (

    select
        cast("cycle" as date) as cycle,
        cast("sku" as varchar) as sku,
        cast("site" as varchar) as site,
        cast("on_hand" as double precision) as on_hand
    from source

)

select * from renamed
