with source as (

    select * from {{ source('sop', 'mps') }}

),

renamed as (

    select
        cast("cycle" as date) as cycle,
        cast("sku" as varchar) as sku,
        cast("month" as date) as month,
        cast("quantity" as double precision) as planned_quantity,
        cast("firm" as boolean) as is_firm,
        cast("status" as varchar) as status
    from source

)

select * from renamed
