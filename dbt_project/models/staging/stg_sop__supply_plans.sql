with source as (

    select * from {{ source('sop', 'supply_plan') }}

),

renamed as (

    select
        cast("cycle" as date) as cycle,
        cast("scenario" as varchar) as scenario,
        cast("sku" as varchar) as sku,
        cast("month" as date) as month,
        cast("demand" as double precision) as demand,
        cast("production" as double precision) as production,
        cast("ending_inventory" as double precision) as ending_inventory,
        cast("safety_stock" as double precision) as safety_stock,
        cast("unmet_demand" as double precision) as unmet_demand,
        cast("backlog" as double precision) as backlog,
        cast("backorder" as double precision) as backorder,
        cast("opening_inventory" as double precision) as opening_inventory,
        cast("receipts" as double precision) as receipts
    from source

)

select * from renamed
