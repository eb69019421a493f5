with source as (

    {{ source_if_written('plan_approvals', {'cycle': 'date', 'approval_id': 'varchar', 'scenario': 'varchar', 'approved_by': 'varchar', 'approved_at': 'varchar', 'note': 'varchar', 'plan_fingerprint': 'varchar'}) }}

),

renamed as (

    select
        cast("cycle" as date) as cycle,
        cast("approval_id" as varchar) as approval_id,
        cast("scenario" as varchar) as scenario,
        cast("approved_by" as varchar) as approved_by,
        cast("approved_at" as varchar) as approved_at,
        cast("note" as varchar) as note,
        cast("plan_fingerprint" as varchar) as plan_fingerprint
    from source

)

select * from renamed
