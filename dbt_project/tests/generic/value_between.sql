{#
    Business rule: the column's values lie within [min_value, max_value] (either bound may be
    left out; NULLs pass). `tolerance` absorbs the solver's rounding noise, e.g. a fill rate of
    -1e-12. Returns the rows outside the range.
#}
{% test value_between(model, column_name, min_value=none, max_value=none, tolerance=1e-9) %}

select {{ column_name }}
from {{ model }}
where false
    {%- if min_value is not none %}
    or {{ column_name }} < {{ min_value }} - {{ tolerance }}
    {%- endif %}
    {%- if max_value is not none %}
    or {{ column_name }} > {{ max_value }} + {{ tolerance }}
    {%- endif %}

{% endtest %}
