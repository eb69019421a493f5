with source as (

    select * from {{ source('sop', 'plan_changes') }}

),

renamed as (

    select
        cast("cycle" as date) as cycle,
        cast("family" as varchar) as family,
        cast("month" as date) as month,
        cast("demand_previous" as double precision) as demand_previous,
        cast("demand" as double precision) as demand,
        cast("demand_change" as double precision) as demand_change,
        cast("demand_change_statistical" as double precision) as demand_change_statistical,
        cast("demand_change_events" as double precision) as demand_change_events,
        cast("demand_change_pipeline" as double precision) as demand_change_pipeline,
        cast("demand_change_new_products" as double precision) as demand_change_new_products,
        cast("demand_change_overrides" as double precision) as demand_change_overrides,
        cast("production_previous" as double precision) as production_previous,
        cast("production" as double precision) as production,
        cast("production_change" as double precision) as production_change,
        cast("served_previous" as double precision) as served_previous,
        cast("served" as double precision) as served,
        cast("served_change" as double precision) as served_change,
        cast("served_change_demand" as double precision) as served_change_demand,
        cast("served_change_constraints" as double precision) as served_change_constraints,
        cast("revenue_previous" as double precision) as revenue_previous,
        cast("revenue" as double precision) as revenue,
        cast("revenue_change" as double precision) as revenue_change,
        cast("revenue_change_demand" as double precision) as revenue_change_demand,
        cast("revenue_change_constraints" as double precision) as revenue_change_constraints,
        cast("revenue_change_price_mix" as double precision) as revenue_change_price_mix
    from source

)

select * from renamed
