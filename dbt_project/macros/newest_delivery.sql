{#- "Later extracts restate earlier buckets: the newest delivery wins" (DESIGN, landing
    contract) — one definition of "newest" for every staging model: the latest file (by its
    modified time, then load time, then name), and within a file the last record.
    `then_by` appends tie-breakers for payloads that nest records inside a record. -#}
{% macro newest_delivery(partition_by, then_by=[]) -%}
    qualify row_number() over (
        partition by {{ partition_by | join(', ') }}
        order by _file_modified_at desc, _loaded_at desc, _source_file desc, _record_number desc
        {%- for column in then_by %}, {{ column }}{% endfor %}
    ) = 1
{%- endmacro %}
