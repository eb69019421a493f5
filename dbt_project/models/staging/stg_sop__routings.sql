with source as (

    select * from {{ source('sop', 'routings') }}

),

renamed as (

    select
        cast("cycle" as date) as cycle,
        cast("sku" as varchar) as sku,
        cast("resource" as varchar) as resource,
        cast("hours_per_unit" as double precision) as hours_per_unit
    from source

)

select * from renamed
