{#- One definition of a stage duration, used by every `_hours` column of the delivery marts:
    hours from `start_at` to `end_at` as a double, null when either end is missing or the span
    is negative (a first commit authored after the PR opened, a review before it). DevLake's
    DORA metrics null negative spans the same way. -#}
{% macro hours_between(start_at, end_at) -%}
    case
        when {{ end_at }} >= {{ start_at }}
            then cast({{ dbt.datediff(start_at, end_at, 'millisecond') }} as double) / 3600000
    end
{%- endmacro %}
