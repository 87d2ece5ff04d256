-- One row per day x actor x model from the Claude Code Analytics API.
-- Telemetry, not a bill: `estimated_cost.amount` is integer cents.
with

source as (
    select * from {{ source('anthropic', 'claude_code') }}
),

records as (
    select
        _source_file,
        _record_number,
        _file_modified_at,
        _loaded_at,
        unnest(cast(payload -> 'data' as json[])) as record
    from source
),

models as (
    select
        _source_file,
        _record_number,
        _file_modified_at,
        _loaded_at,
        record,
        unnest(cast(record -> 'model_breakdown' as json[])) as breakdown
    from records
),

renamed as (
    select
        cast(cast(record ->> 'date' as timestamptz) at time zone 'UTC' as date) as usage_date,
        record -> 'actor' ->> 'type' as actor_type,
        lower(record -> 'actor' ->> 'email_address') as actor_email,
        record -> 'actor' ->> 'api_key_name' as actor_api_key_name,
        record ->> 'organization_id' as organization_id,
        record ->> 'customer_type' as customer_type,
        record ->> 'subscription_type' as subscription_type,
        record ->> 'terminal_type' as terminal_type,
        cast(record ->> 'is_remote' as boolean) as is_remote,
        cast(record -> 'core_metrics' ->> 'num_sessions' as bigint) as session_count,
        cast(record -> 'core_metrics' ->> 'commits_by_claude_code' as bigint) as commit_count,
        cast(record -> 'core_metrics' ->> 'pull_requests_by_claude_code' as bigint)
            as pull_request_count,
        breakdown ->> 'model' as model,
        coalesce(cast(breakdown -> 'tokens' ->> 'input' as bigint), 0) as uncached_input_tokens,
        coalesce(cast(breakdown -> 'tokens' ->> 'cache_read' as bigint), 0) as cache_read_tokens,
        coalesce(cast(breakdown -> 'tokens' ->> 'cache_creation' as bigint), 0)
            as cache_write_tokens,
        coalesce(cast(breakdown -> 'tokens' ->> 'output' as bigint), 0) as output_tokens,
        breakdown -> 'estimated_cost' ->> 'amount' as estimated_cost_raw,
        'integer_cents' as estimated_cost_raw_unit,
        {{ cents_to_usd("breakdown -> 'estimated_cost' ->> 'amount'") }} as estimated_cost_usd,
        _source_file,
        _record_number,
        _file_modified_at,
        _loaded_at
    from models
),

keyed as (
    select
        {{ surrogate_key([
            'usage_date', 'actor_type', 'actor_email', 'actor_api_key_name', 'customer_type',
            'terminal_type', 'model'
        ]) }}
            as claude_code_usage_id,
        *
    from renamed
),

final as (
    select *
    from keyed
    {{ newest_delivery(['claude_code_usage_id']) }}
)

select * from final
