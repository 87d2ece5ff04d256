-- One row per user x UTC day from the Copilot usage-metrics user-level reports; the newest
-- delivery of a user-day wins. CLI token counts are the only token data Copilot exposes.
with

source as (
    select * from {{ source('github_copilot', 'users') }}
),

user_records as (
    -- Organization/enterprise reports (`day_totals`, no user) share the NDJSON format; only
    -- records naming a user are user-level.
    select *
    from source
    where payload ->> 'user_id' is not null
),

renamed as (
    select  -- noqa: ST06
        _source_file,
        _record_number,
        _file_modified_at,
        _loaded_at,
        cast(payload ->> 'day' as date) as usage_date,
        cast(payload ->> 'user_id' as bigint) as user_id,
        lower(payload ->> 'user_login') as user_login,
        payload ->> 'enterprise_id' as enterprise_id,
        payload ->> 'organization_id' as organization_id,
        cast(payload ->> 'user_initiated_interaction_count' as bigint) as user_initiated_interaction_count,
        cast(payload ->> 'code_generation_activity_count' as bigint) as code_generation_activity_count,
        cast(payload ->> 'code_acceptance_activity_count' as bigint) as code_acceptance_activity_count,
        cast(payload ->> 'loc_suggested_to_add_sum' as bigint) as loc_suggested_to_add_sum,
        cast(payload ->> 'loc_suggested_to_delete_sum' as bigint) as loc_suggested_to_delete_sum,
        cast(payload ->> 'loc_added_sum' as bigint) as loc_added_sum,
        cast(payload ->> 'loc_deleted_sum' as bigint) as loc_deleted_sum,
        cast(payload ->> 'used_agent' as boolean) as has_used_agent,
        cast(payload ->> 'used_chat' as boolean) as has_used_chat,
        cast(payload ->> 'used_cli' as boolean) as has_used_cli,
        cast(payload ->> 'used_copilot_code_review_active' as boolean) as has_used_code_review_active,
        cast(payload ->> 'used_copilot_code_review_passive' as boolean) as has_used_code_review_passive,
        coalesce(cast(payload -> 'totals_by_cli' ->> 'session_count' as bigint), 0) as cli_session_count,
        coalesce(cast(payload -> 'totals_by_cli' ->> 'request_count' as bigint), 0) as cli_request_count,
        coalesce(cast(payload -> 'totals_by_cli' ->> 'prompt_count' as bigint), 0) as cli_prompt_count,
        coalesce(cast(payload -> 'totals_by_cli' -> 'token_usage' ->> 'prompt_tokens_sum' as bigint), 0)
            as cli_prompt_tokens,
        coalesce(cast(payload -> 'totals_by_cli' -> 'token_usage' ->> 'output_tokens_sum' as bigint), 0)
            as cli_output_tokens,
        cast(payload -> 'totals_by_cli' -> 'token_usage' ->> 'avg_tokens_per_request' as double)
            as cli_avg_tokens_per_request,
        payload -> 'totals_by_cli' -> 'last_known_cli_version' ->> 'cli_version' as cli_version
    from user_records
),

newest_delivery as (
    -- Later extracts (a 28-day report, a re-run 1-day report) restate earlier user-days.
    select *
    from renamed
    {{ newest_delivery(['usage_date', 'user_id']) }}
),

final as (
    select
        {{ surrogate_key(['usage_date', 'user_id']) }} as copilot_user_day_id,
        usage_date,
        user_id,
        user_login,
        enterprise_id,
        organization_id,
        user_initiated_interaction_count,
        code_generation_activity_count,
        code_acceptance_activity_count,
        loc_suggested_to_add_sum,
        loc_suggested_to_delete_sum,
        loc_added_sum,
        loc_deleted_sum,
        has_used_agent,
        has_used_chat,
        has_used_cli,
        has_used_code_review_active,
        has_used_code_review_passive,
        cli_session_count,
        cli_request_count,
        cli_prompt_count,
        cli_prompt_tokens,
        cli_output_tokens,
        cli_avg_tokens_per_request,
        cli_version,
        -- The four disjoint counts: Copilot reports no cache split, so every CLI prompt token
        -- counts as uncached input.
        cli_prompt_tokens as uncached_input_tokens,
        cast(0 as bigint) as cache_read_tokens,
        cast(0 as bigint) as cache_write_tokens,
        cli_output_tokens as output_tokens,
        _source_file,
        _file_modified_at,
        _loaded_at
    from newest_delivery
)

select * from final
