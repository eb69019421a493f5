{#
    Whole calendar months from the month of `start_date` to that of `end_date` (negative when
    `end_date` is earlier), as a bigint on DuckDB and PostgreSQL alike (PostgreSQL's `extract`
    returns numeric).
#}
{% macro months_between(start_date, end_date) -%}
    cast(
        (extract(year from {{ end_date }}) - extract(year from {{ start_date }})) * 12
        + extract(month from {{ end_date }}) - extract(month from {{ start_date }})
        as bigint
    )
{%- endmacro %}
