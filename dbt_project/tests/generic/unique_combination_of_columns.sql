{#- Grain test for models keyed by several columns. dbt_utils has one, but hub packages
    cannot be installed here. Fails with one row per duplicated key. -#}
{% test unique_combination_of_columns(model, columns) %}
select
    {{ columns | join(', ') }},
    count(*) as rows_with_this_key
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
