{#
    Models go to <target schema>_<layer>: sop_staging, sop_intermediate, sop_marts when the
    pipeline's schema is `sop`. The layer is the model's top folder under models/ (or a
    `schema` config, if one is ever set), never the target schema alone, so the reporting layer
    stays out of the pipeline's own schema.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- set layer = custom_schema_name -%}
    {%- if layer is none and node.resource_type == 'model' and node.fqn | length > 2 -%}
        {%- set layer = node.fqn[1] -%}
    {%- endif -%}
    {%- if layer is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ target.schema }}_{{ layer | trim }}
    {%- endif -%}
{%- endmacro %}
