{#- Vendors send timestamps as ISO 8601 strings with different offset spellings: GitHub `...Z`,
    Jira `2021-01-17T12:34:00.000+0000` (no colon, any zone). Marts store naive UTC timestamps,
    so every vendor string goes through this one conversion, and another engine needs only this
    macro changed. A value that is not a timestamp (the Jira spec example has `"updated": 1`)
    becomes null instead of failing the whole view; not_null tests catch the columns that matter.
    (`dbt.safe_cast` is a plain cast on DuckDB, hence `try_cast`.) -#}
{% macro utc_timestamp(column) -%}
    cast(timezone('UTC', try_cast({{ column }} as timestamptz)) as timestamp)
{%- endmacro %}
