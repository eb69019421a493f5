with source as (

    select * from {{ source('sop', 'crm_pipeline') }}

),

renamed as (

    select
        cast("cycle" as date) as cycle,
        cast("opportunity_id" as varchar) as opportunity_id,
        cast("sku" as varchar) as sku,
        cast("family" as varchar) as family,
        cast("region" as varchar) as region,
        cast("expected_month" as date) as expected_month,
        cast("quantity" as double precision) as opportunity_quantity,
        cast("probability" as double precision) as probability,
        cast("stage" as varchar) as stage
    from source

)

select * from renamed
