with source as (

    {{ source_if_written('decisions', {'cycle': 'date', 'topic': 'varchar', 'subject': 'varchar', 'decision': 'varchar', 'owner': 'varchar', 'due': 'date', 'scenario': 'varchar', 'approval_id': 'varchar'}) }}

),

renamed as (

    select
        cast("cycle" as date) as cycle,
        cast("topic" as varchar) as topic,
        cast("subject" as varchar) as subject,
        cast("decision" as varchar) as decision,
        cast("owner" as varchar) as owner,
        cast("due" as date) as due,
        cast("scenario" as varchar) as scenario,
        cast("approval_id" as varchar) as approval_id
    from source

)

select * from renamed
