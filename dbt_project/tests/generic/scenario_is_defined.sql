{#
    Every scenario is the baseline or a what-if the same cycle's `scenarios` export defines: a
    plan row of an unknown scenario means the plan and its inputs disagree. Returns those rows.
#}
{% test scenario_is_defined(model, column_name) %}

select
    plan_rows.cycle,
    plan_rows.{{ column_name }}
from {{ model }} as plan_rows
where plan_rows.{{ column_name }} <> 'baseline'
    and not exists (
        select 1
        from {{ ref('stg_sop__scenarios') }} as scenarios
        where scenarios.cycle = plan_rows.cycle
            and scenarios.scenario = plan_rows.{{ column_name }}
    )

{% endtest %}
