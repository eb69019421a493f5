with source as (

    select * from {{ source('sop', 'override_log') }}

),

renamed as (

    select
        cast("cycle" as date) as cycle,
        cast("sku" as varchar) as sku,
        cast("region" as varchar) as region,
        cast("month" as date) as month,
        cast("author" as varchar) as author,
        cast("reason" as varchar) as reason,
        cast("override_quantity" as double precision) as override_quantity,
        cast("adjustment_pct" as double precision) as adjustment_pct,
        cast("in_firm_window" as boolean) as in_firm_window,
        cast("applied" as boolean) as applied,
        cast("status" as varchar) as status,
        cast("demand_before" as double precision) as demand_before,
        cast("override" as double precision) as override_layer,
        cast("demand_after" as double precision) as demand_after
    from source

)

select * from renamed
