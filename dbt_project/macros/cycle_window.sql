{#
    The planning cycles a run rebuilds in the per-cycle marts: [start, end) from the Dagster
    partition's time window. Dagster passes it in the environment (SOP_DBT_CYCLE_START,
    SOP_DBT_CYCLE_END), not as --vars: dbt re-parses the whole project whenever --vars change,
    while an environment variable read only at run time (inside `is_incremental()`) leaves the
    saved parse valid. By hand, `--vars '{cycle_start: 2026-11-01, cycle_end: 2026-12-01}'` works
    too. No window at all means every cycle.

    A mart whose rows look at earlier cycles (a change against the previous cycle) sets
    `meta: {rebuilds_later_cycles: true}`: rebuilding a cycle then also rebuilds every later one,
    whose comparisons depended on it.
#}
{% macro cycle_window() -%}
    {%- set start = var('cycle_start', none) or env_var('SOP_DBT_CYCLE_START', '') -%}
    {%- set end = var('cycle_end', none) or env_var('SOP_DBT_CYCLE_END', '') -%}
    {%- if model.config.get('meta', {}).get('rebuilds_later_cycles') -%}
        {%- set end = '' -%}
    {%- endif -%}
    {{ return({'start': start or none, 'end': end or none}) }}
{%- endmacro %}


{# A SQL condition: `column` falls in the run's cycle window (`true` without a window). #}
{% macro in_cycle_window(column='cycle') -%}
    {%- set window = cycle_window() -%}
    {%- set conditions = [] -%}
    {%- if window.start -%}
        {%- do conditions.append(column ~ " >= cast('" ~ window.start ~ "' as date)") -%}
    {%- endif -%}
    {%- if window.end -%}
        {%- do conditions.append(column ~ " < cast('" ~ window.end ~ "' as date)") -%}
    {%- endif -%}
    {{ conditions | join(' and ') if conditions else 'true' }}
{%- endmacro %}


{#
    Incremental strategy `replace_cycles`: delete the window's cycles from the mart, insert the
    rebuilt rows, in the materialisation's one transaction. Unlike `delete+insert` on `cycle`, a
    cycle whose rebuilt rows are empty (no exceptions any more) is emptied too, so re-running a
    partition always replaces exactly that cycle and backfilling an earlier one keeps the others.
#}
{% macro get_incremental_replace_cycles_sql(arg_dict) -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ arg_dict['target_relation'] }}
    where {{ in_cycle_window('cycle') }};

    insert into {{ arg_dict['target_relation'] }} ({{ columns }})
    (
        select {{ columns }}
        from {{ arg_dict['temp_relation'] }}
    )
{%- endmacro %}
