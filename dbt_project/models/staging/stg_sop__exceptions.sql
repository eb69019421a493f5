with source as (

    select * from {{ source('sop', 'exceptions') }}

),

renamed as (

    select
        cast("cycle" as date) as cycle,
        cast("scenario" as varchar) as scenario,
        cast("kind" as varchar) as kind,
        cast("sku" as varchar) as sku,
        cast("resource" as varchar) as resource,
        cast("month" as date) as month,
        cast("quantity" as double precision) as quantity,
        cast("message" as varchar) as message,
        cast("shadow_price" as double precision) as shadow_price
    from source

)

select * from renamed
