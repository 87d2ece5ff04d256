{#- Vendors bill in different units. Each conversion has one macro, used everywhere,
    so a unit mistake is fixed in one place. Results are DECIMAL(38, 10) USD.
    Cents are multiplied by 0.01 rather than divided by 100: decimal division
    goes through a double on DuckDB and would not be exact. -#}

{% macro cents_string_to_usd(column) -%}
    cast(cast({{ column }} as decimal(38, 12)) * 0.01 as decimal(38, 10))
{%- endmacro %}

{% macro cents_to_usd(column) -%}
    cast(cast({{ column }} as decimal(38, 12)) * 0.01 as decimal(38, 10))
{%- endmacro %}

{% macro dollars_to_usd(column) -%}
    cast({{ column }} as decimal(38, 10))
{%- endmacro %}
