with source as (

    select * from {{ source('sop', 'scenarios') }}

),

renamed as (

    select
        cast("cycle" as date) as cycle,
        cast("scenario" as varchar) as scenario,
        cast("kind" as varchar) as scenario_kind,
        cast("scope" as varchar) as scope,
        cast("multiplier" as double precision) as multiplier
    from source

)

select * from renamed
