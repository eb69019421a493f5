with source as (

    select * from {{ source('sop', 'quarantine') }}

),

renamed as (

    select
        cast("cycle" as date) as cycle,
        cast("entity" as varchar) as entity,
        cast("source_file" as varchar) as source_file,
        cast("row_number" as bigint) as source_row_number,
        cast("column" as varchar) as column_name,
        cast("rule" as varchar) as rule_name,
        cast("value" as varchar) as rejected_value,
        cast("raw_record" as varchar) as raw_record
    from source

)

select * from renamed
