with source as (

    select * from {{ source('sop', 'resources') }}

),

renamed as (

    select
        cast("cycle" as date) as cycle,
        cast("resource" as varchar) as resource,
        cast("month" as date) as month,
        cast("available_hours" as double precision) as available_hours,
        cast("max_overtime_hours" as double precision) as max_overtime_hours,
        cast("overtime_cost_per_hour" as double precision) as overtime_cost_per_hour
    from source

)

select * from renamed
