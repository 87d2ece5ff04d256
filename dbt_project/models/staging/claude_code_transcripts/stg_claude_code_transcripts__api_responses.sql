-- One row per person x API response (message.id, requestId) in Claude Code transcripts.
-- Claude Code logs one response as several lines repeating message.usage; only the last
-- carries the final output_tokens. Summing lines double-counts cache tokens and keeping the
-- first undercounts output, so we keep the line with the largest usage per response.
with

source as (
    select * from {{ source('claude_code_transcripts', 'transcripts') }}
),

assistant_lines as (
    -- JSON paths read as columns here; sqlfluff counts `->` paths as calculations.
    select  -- noqa: ST06
        _source_file,
        _record_number,
        payload ->> 'sessionId' as session_id,
        payload ->> 'gitBranch' as git_branch,
        payload ->> 'cwd' as working_directory,
        payload ->> 'version' as claude_code_version,
        payload ->> 'agentId' as agent_id,
        payload ->> 'requestId' as request_id,
        payload -> 'message' ->> 'id' as message_id,
        payload -> 'message' ->> 'model' as model,
        -- The first folder under claude_code_transcripts/ is the person's email.
        lower(split_part(_source_file, '/', 2)) as person_email,
        coalesce(cast(payload ->> 'isSidechain' as boolean), false) as is_sidechain,
        cast(cast(payload ->> 'timestamp' as timestamptz) at time zone 'UTC' as timestamp)
            as responded_at,
        coalesce(cast(payload -> 'message' -> 'usage' ->> 'input_tokens' as bigint), 0)
            as uncached_input_tokens,
        coalesce(
            cast(payload -> 'message' -> 'usage' ->> 'cache_read_input_tokens' as bigint), 0
        ) as cache_read_tokens,
        coalesce(
            cast(payload -> 'message' -> 'usage' ->> 'cache_creation_input_tokens' as bigint), 0
        ) as cache_write_tokens,
        coalesce(cast(payload -> 'message' -> 'usage' ->> 'output_tokens' as bigint), 0)
            as output_tokens
    from source
    where
        (payload ->> 'type') = 'assistant'
        and (payload -> 'message' -> 'usage') is not null
        and (payload -> 'message' ->> 'id') is not null
        -- Claude Code writes local '<synthetic>' messages (no API call, zero usage).
        and (payload -> 'message' ->> 'model') != '<synthetic>'
),

final as (
    select
        {{ surrogate_key(['person_email', 'message_id', 'request_id']) }} as api_response_id,
        *,
        cast(responded_at as date) as usage_date
    from assistant_lines
    qualify row_number() over (
        partition by person_email, message_id, request_id
        order by
            output_tokens desc,
            uncached_input_tokens + cache_read_tokens + cache_write_tokens desc,
            responded_at desc,
            _source_file asc,
            _record_number asc
    ) = 1
)

select * from final
