{#- dbt hub packages (dbt_utils) cannot be installed here, so this is the one helper we need:
    md5 over a typed, delimited concat, with nulls made explicit so (a, null) != (null, a). -#}
{% macro surrogate_key(columns) -%}
    md5(concat_ws('|'
    {%- for column in columns %},
        coalesce(cast({{ column }} as varchar), '_tw_null_')
    {%- endfor %}
    ))
{%- endmacro %}
