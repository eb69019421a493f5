with source as (

    select * from {{ source('sop', 'budget') }}

),

renamed as (

    select
        cast("cycle" as date) as cycle,
        cast("family" as varchar) as family,
        cast("month" as date) as month,
        cast("revenue" as double precision) as budget_revenue,
        cast("gross_margin" as double precision) as budget_gross_margin
    from source

)

select * from renamed
