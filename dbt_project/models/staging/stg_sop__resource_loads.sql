with source as (

    select * from {{ source('sop', 'resource_load') }}

),

renamed as (

    select
        cast("cycle" as date) as cycle,
        cast("scenario" as varchar) as scenario,
        cast("resource" as varchar) as resource,
        cast("month" as date) as month,
        cast("required_hours" as double precision) as required_hours,
        cast("available_hours" as double precision) as available_hours,
        cast("overtime_hours" as double precision) as overtime_hours,
        cast("utilization" as double precision) as utilization,
        cast("unconstrained_required_hours" as double precision) as unconstrained_required_hours,
        cast("shadow_price" as double precision) as shadow_price
    from source

)

select * from renamed
