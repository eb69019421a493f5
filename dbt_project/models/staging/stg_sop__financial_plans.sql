with source as (

    select * from {{ source('sop', 'financial_plan') }}

),

renamed as (

    select
        cast("cycle" as date) as cycle,
        cast("scenario" as varchar) as scenario,
        cast("family" as varchar) as family,
        cast("month" as date) as month,
        cast("revenue" as double precision) as revenue,
        cast("cogs" as double precision) as cogs,
        cast("gross_margin" as double precision) as gross_margin,
        cast("unconstrained_revenue" as double precision) as unconstrained_revenue,
        cast("inventory_value" as double precision) as inventory_value,
        cast("budget_revenue" as double precision) as budget_revenue,
        cast("revenue_gap" as double precision) as revenue_gap,
        cast("unconstrained_cogs" as double precision) as unconstrained_cogs,
        cast("unconstrained_gross_margin" as double precision) as unconstrained_gross_margin,
        cast("budget_gross_margin" as double precision) as budget_gross_margin,
        cast("gross_margin_gap" as double precision) as gross_margin_gap
    from source

)

select * from renamed
