-- One row per LiteLLM proxy request (`request_id`, the SpendLogs primary key); the newest
-- delivery of a request wins (file modified time, then load time), so a restated spend replaces
-- the old one. Rows come from `/spend/logs` JSON (typed values: a list of rows, or a `/spend/logs/v2`
-- page `{data: [...], total, page, ...}`) or from a CSV export of the table (every value a string,
-- `metadata` and `request_tags` JSON text, `cache_hit` 'True'/'False'); both shapes give the same row.
-- `messages`, `response` and `proxy_server_request` can hold prompt text and are never read here.
{#- `@` stands for the JSON value: a timestamp string with a zone (Z, +hh:mm) is converted to
    UTC; one without (a Postgres CSV export writes `2025-03-04 10:15:02.123`) is already UTC,
    whatever the session time zone. -#}
{%- set zone_suffix = '\\d:\\d{2}(:\\d{2}(\\.\\d+)?)?\\s*(z|utc|[+-]\\d{2}(:?\\d{2})?)$' -%}
{%- set utc = "case when regexp_matches(@, '" ~ zone_suffix ~ "', 'i')
    then cast(timezone('UTC', try_cast(@ as timestamptz)) as timestamp)
    else try_cast(@ as timestamp) end" -%}
{#- `@` stands for a JSON value that is a JSON object/array, or the same as JSON text (CSV). -#}
{%- set as_json = "case when json_type(@) = 'VARCHAR' then try_cast(@ ->> '$' as json) else @ end" %}
with

source as (
    select * from {{ source('litellm', 'spend_logs') }}
),

spend_logs as (
    -- A payload is one SpendLogs row (a JSON array element, an NDJSON line, a CSV row) ...
    select
        _source_file,
        _record_number,
        _file_modified_at,
        _loaded_at,
        1 as _element_number,
        payload as spend_log
    from source
    where coalesce(json_type(payload -> 'data'), '') != 'ARRAY'
    union all
    -- ... or a `/spend/logs/v2` page that wraps its rows in `data`.
    select
        _source_file,
        _record_number,
        _file_modified_at,
        _loaded_at,
        generate_subscripts(cast(payload -> 'data' as json[]), 1) as _element_number,
        unnest(cast(payload -> 'data' as json[])) as spend_log
    from source
    where json_type(payload -> 'data') = 'ARRAY'
),

json_columns as (
    select
        *,
        {{ as_json | replace('@', "spend_log -> 'metadata'") }} as metadata,
        {{ as_json | replace('@', "spend_log -> 'request_tags'") }} as request_tags_json
    from spend_logs
    -- `/spend/logs?summarize=true` returns daily totals without a request_id: not request rows.
    where nullif(spend_log ->> 'request_id', '') is not null
),

renamed as (
    select
        spend_log ->> 'request_id' as request_id,
        spend_log ->> 'call_type' as call_type,
        nullif(spend_log ->> 'api_key', '') as api_key_hash,
        nullif(metadata ->> 'user_api_key_alias', '') as api_key_alias,
        lower(nullif(metadata ->> 'user_api_key_user_id', '')) as user_api_key_user_id,
        lower(nullif(metadata ->> 'user_api_key_user_email', '')) as user_api_key_user_email,
        coalesce(nullif(spend_log ->> 'team_id', ''), nullif(metadata ->> 'user_api_key_team_id', ''))
            as team_id,
        nullif(metadata ->> 'user_api_key_team_alias', '') as team_alias,
        coalesce(
            nullif(spend_log ->> 'organization_id', ''), nullif(metadata ->> 'user_api_key_org_id', '')
        ) as organization_id,
        lower(nullif(spend_log ->> 'user', '')) as request_user,
        lower(nullif(spend_log ->> 'end_user', '')) as end_user,
        nullif(spend_log ->> 'session_id', '') as session_id,
        nullif(spend_log ->> 'agent_id', '') as agent_id,
        nullif(spend_log ->> 'mcp_namespaced_tool_name', '') as mcp_namespaced_tool_name,
        nullif(spend_log ->> 'model', '') as model,
        nullif(spend_log ->> 'model_id', '') as model_id,
        nullif(spend_log ->> 'model_group', '') as model_group,
        nullif(spend_log ->> 'custom_llm_provider', '') as custom_llm_provider,
        lower(nullif(spend_log ->> 'custom_llm_provider', '')) as provider,
        nullif(spend_log ->> 'api_base', '') as api_base,
        -- `status` is recent; older proxies logged successes only, and left it null.
        coalesce(lower(nullif(spend_log ->> 'status', '')), 'success') as status,
        -- `cache_hit` is a String column: 'True', 'False', '' or 'None' (a JSON true also counts).
        coalesce(lower(spend_log ->> 'cache_hit') = 'true', false) as is_cache_hit,
        {{ utc | replace('@', "(spend_log ->> 'startTime')") }} as started_at,
        {{ utc | replace('@', "(spend_log ->> 'endTime')") }} as ended_at,
        {{ utc | replace('@', "nullif(spend_log ->> 'completionStartTime', '')") }} as completion_started_at,
        cast(spend_log ->> 'request_duration_ms' as bigint) as reported_request_duration_ms,
        coalesce(cast(spend_log ->> 'prompt_tokens' as bigint), 0) as prompt_tokens,
        coalesce(cast(spend_log ->> 'completion_tokens' as bigint), 0) as completion_tokens,
        coalesce(cast(spend_log ->> 'total_tokens' as bigint), 0) as total_tokens,
        coalesce(spend_log ->> 'spend', '0') as spend_raw,
        'dollars' as spend_raw_unit,
        {{ dollars_to_usd("coalesce(spend_log ->> 'spend', '0')") }} as cost_usd,
        coalesce(try_cast(request_tags_json as varchar[]), []) as request_tags,
        coalesce(try_cast(metadata -> 'tags' as varchar[]), []) as metadata_tags,
        -- Custom metadata the client logged: its own `tags` list, and each scalar entry as key:value.
        coalesce(try_cast(metadata -> 'spend_logs_metadata' -> 'tags' as varchar[]), [])
            as spend_logs_metadata_tags,
        coalesce(
            list_transform(
                list_filter(
                    map_entries(try_cast(metadata -> 'spend_logs_metadata' as map (varchar, varchar))),
                    lambda entry: entry['key'] != 'tags'
                ),
                lambda entry: entry['key'] || ':' || entry['value']
            ),
            []
        ) as spend_logs_metadata_pairs,
        _source_file,
        _record_number,
        _element_number,
        _file_modified_at,
        _loaded_at
    from json_columns
),

tagged as (
    select
        *,
        -- In order: request_tags, metadata.tags, spend_logs_metadata; the first match wins.
        list_transform(
            list_concat(request_tags, metadata_tags, spend_logs_metadata_tags, spend_logs_metadata_pairs),
            lambda tag: trim(tag)
        ) as ordered_tags
    from renamed
),

links as (
    select
        *,
        list_filter(ordered_tags, lambda tag: regexp_matches(tag, '^ticket\s*:', 'i'))[1] as ticket_tag,
        list_filter(ordered_tags, lambda tag: regexp_matches(tag, '^pr\s*:', 'i'))[1] as pull_request_tag,
        list_filter(ordered_tags, lambda tag: regexp_matches(tag, '^branch\s*:', 'i'))[1] as branch_tag,
        list_filter(ordered_tags, lambda tag: regexp_matches(tag, '^commit\s*:', 'i'))[1] as commit_tag,
        list_filter(ordered_tags, lambda tag: regexp_matches(tag, '^repo(sitory)?\s*:', 'i'))[1] as repository_tag,
        list_filter(ordered_tags, lambda tag: regexp_matches(tag, '^user-agent\s*:', 'i'))[1] as user_agent_tag
    from tagged
),

parsed as (
    select
        *,
        nullif(upper(regexp_extract(ticket_tag, '^ticket\s*:\s*([a-z][a-z0-9_]*-[0-9]+)$', 1, 'i')), '')
            as ticket_key,
        -- `pr:42`, `pr:#42` or `pr:owner/name#42` (which also names the repository).
        try_cast(
            nullif(regexp_extract(pull_request_tag, '^pr\s*:\s*(?:([^\s#/]+/[^\s#/]+)#)?#?([0-9]+)$', 2, 'i'), '')
            as bigint
        ) as pull_request_number,
        nullif(
            regexp_extract(pull_request_tag, '^pr\s*:\s*(?:([^\s#/]+/[^\s#/]+)#)?#?([0-9]+)$', 1, 'i'), ''
        ) as pull_request_repository,
        nullif(regexp_extract(branch_tag, '^branch\s*:\s*(\S+)$', 1, 'i'), '') as branch_name,
        nullif(lower(regexp_extract(commit_tag, '^commit\s*:\s*([0-9a-f]{7,40})$', 1, 'i')), '') as commit_sha,
        nullif(regexp_extract(repository_tag, '^repo(sitory)?\s*:\s*([a-z0-9_.-]+/[a-z0-9_.-]+)$', 2, 'i'), '')
            as tagged_repository,
        nullif(regexp_extract(user_agent_tag, '^user-agent\s*:\s*(.+)$', 1, 'i'), '') as user_agent
    from links
),

final as (
    select
        request_id,
        cast(started_at as date) as usage_date,
        started_at,
        ended_at,
        completion_started_at,
        coalesce(reported_request_duration_ms, {{ dbt.datediff('started_at', 'ended_at', 'millisecond') }})
            as request_duration_ms,
        call_type,
        status,
        is_cache_hit,
        api_key_hash,
        api_key_alias,
        user_api_key_user_id,
        user_api_key_user_email,
        team_id,
        team_alias,
        organization_id,
        request_user,
        end_user,
        session_id,
        agent_id,
        mcp_namespaced_tool_name,
        provider,
        custom_llm_provider,
        model,
        model_id,
        model_group,
        api_base,
        -- SpendLogs has no cache-token columns: prompt tokens are all counted as uncached input.
        prompt_tokens as uncached_input_tokens,
        0 as cache_read_tokens,
        0 as cache_write_tokens,
        completion_tokens as output_tokens,
        prompt_tokens,
        completion_tokens,
        total_tokens,
        1 as request_count,
        spend_raw,
        spend_raw_unit,
        cost_usd,
        request_tags,
        list_sort(list_distinct(ordered_tags)) as tags,
        ticket_key,
        pull_request_number,
        branch_name,
        commit_sha,
        coalesce(tagged_repository, pull_request_repository) as repository,
        user_agent,
        _source_file,
        _record_number,
        _file_modified_at,
        _loaded_at
    from parsed
    -- Later deliveries restate a request (spend recomputed, status updated): the newest wins.
    {{ newest_delivery(['request_id'], then_by=['_element_number desc']) }}
)

select * from final
