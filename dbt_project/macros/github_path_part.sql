{#- Owner, repo and PR number of a PR's commits/reviews/files page come from its landing path,
    `github/<owner>/<repo>/pulls/<number>/<kind>/…` (part 1, 2, 3). -#}
{% macro github_path_part(part) -%}
    regexp_extract(_source_file, '^github/([^/]+)/([^/]+)/pulls/([0-9]+)/', {{ part }})
{%- endmacro %}
