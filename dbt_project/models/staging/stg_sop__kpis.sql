with source as (

    select * from {{ source('sop', 'kpi') }}

),

renamed as (

    select
        cast("cycle" as date) as cycle,
        cast("scenario" as varchar) as scenario,
        cast("kpi" as varchar) as kpi,
        cast("scope_type" as varchar) as scope_type,
        cast("scope" as varchar) as scope,
        cast("value" as double precision) as value,
        cast("unit" as varchar) as unit
    from source

)

select * from renamed
