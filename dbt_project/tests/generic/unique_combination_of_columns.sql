{#
    The columns together identify a row: no combination occurs twice (NULLs count as equal,
    so a key with an optional part is tested too). Returns the duplicated combinations.
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

select
    {{ combination_of_columns | join(', ') }},
    count(*) as n_rows
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1

{% endtest %}
