{#
    The rows of a source table that a planning run may not have written yet: the tables of the
    executive decision (`plan_approvals`, `released_mps`, `decisions`) exist from a cycle's first
    `sop approve` on. Until then the model selects no rows with the table's columns, so the
    views build on a warehouse that has never had an approval. `columns` maps each column to
    its SQL type. The `source()` call stays, so the lineage is the same either way.
#}
{% macro source_if_written(table, columns) -%}
    {%- set relation = source('sop', table) -%}
    {%- set found = adapter.get_relation(
        database=relation.database, schema=relation.schema, identifier=relation.identifier
    ) if execute else relation -%}
    {%- if found is not none -%}
        select * from {{ relation }}
    {%- else -%}
        select
        {%- for name, kind in columns.items() %}
            cast(null as {{ kind }}) as "{{ name }}"{{ "," if not loop.last }}
        {%- endfor %}
        where false
    {%- endif -%}
{%- endmacro %}
