with source as (

    {{ source_if_written('released_mps', {'cycle': 'date', 'sku': 'varchar', 'month': 'date', 'quantity': 'double precision', 'firm': 'boolean', 'scenario': 'varchar', 'approval_id': 'varchar'}) }}

),

renamed as (

    select
        cast("cycle" as date) as cycle,
        cast("sku" as varchar) as sku,
        cast("month" as date) as month,
        cast("quantity" as double precision) as released_quantity,
        cast("firm" as boolean) as is_firm,
        cast("scenario" as varchar) as scenario,
        cast("approval_id" as varchar) as approval_id
    from source

)

select * from renamed
