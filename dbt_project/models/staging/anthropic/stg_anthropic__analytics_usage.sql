-- One row per time bucket x group of the Usage and Cost Analytics API usage endpoint; newest
-- delivery of a bucket x group wins. A dimension is null unless the extract grouped by it.
-- `actor` is the identity behind the requests: a user (tagged user id and email), a service
-- account or an API key; the email joins people directly.
with

source as (
    select * from {{ source('anthropic', 'analytics_usage') }}
),

rows_of_page as (
    select
        _source_file,
        _record_number,
        _file_modified_at,
        _loaded_at,
        unnest(cast(payload -> 'data' as json[])) as usage_row
    from source
),

renamed as (
    select
        {{ utc_timestamp("usage_row ->> 'starting_at'") }} as bucket_start_at,
        {{ utc_timestamp("usage_row ->> 'ending_at'") }} as bucket_end_at,
        coalesce(usage_row -> 'group' -> 'actor' ->> 'type', usage_row -> 'group' ->> 'actor_type')
            as actor_type,
        coalesce(
            usage_row -> 'group' -> 'actor' ->> 'user_id',
            usage_row -> 'group' -> 'actor' ->> 'service_account_id',
            usage_row -> 'group' -> 'actor' ->> 'api_key_id',
            usage_row -> 'group' -> 'actor' ->> 'id'
        ) as actor_id,
        lower(usage_row -> 'group' -> 'actor' ->> 'email_address') as actor_email,
        usage_row -> 'group' ->> 'api_key_id' as api_key_id,
        usage_row -> 'group' ->> 'workspace_id' as workspace_id,
        usage_row -> 'group' ->> 'model' as model,
        usage_row -> 'group' ->> 'product' as product,
        usage_row -> 'group' ->> 'service_tier' as service_tier,
        usage_row -> 'group' ->> 'context_window' as context_window,
        usage_row -> 'group' ->> 'inference_geo' as inference_geo,
        usage_row -> 'group' ->> 'speed' as speed,
        usage_row -> 'group' ->> 'session_id' as session_id,
        coalesce(cast(usage_row -> 'usage' ->> 'uncached_input_tokens' as bigint), 0)
            as uncached_input_tokens,
        coalesce(cast(usage_row -> 'usage' ->> 'cache_read_input_tokens' as bigint), 0)
            as cache_read_tokens,
        coalesce(
            cast(usage_row -> 'usage' -> 'cache_creation' ->> 'ephemeral_5m_input_tokens' as bigint), 0
        ) as cache_write_5m_tokens,
        coalesce(
            cast(usage_row -> 'usage' -> 'cache_creation' ->> 'ephemeral_1h_input_tokens' as bigint), 0
        ) as cache_write_1h_tokens,
        coalesce(cast(usage_row -> 'usage' ->> 'output_tokens' as bigint), 0) as output_tokens,
        cast(usage_row -> 'usage' ->> 'requests' as bigint) as request_count,
        coalesce(
            cast(usage_row -> 'usage' -> 'server_tool_use' ->> 'web_search_requests' as bigint), 0
        ) as web_search_requests,
        _source_file,
        _record_number,
        _file_modified_at,
        _loaded_at
    from rows_of_page
),

keyed as (
    select
        {{ surrogate_key([
            'bucket_start_at', 'bucket_end_at', 'actor_type', 'actor_id', 'api_key_id',
            'workspace_id', 'model', 'product', 'service_tier', 'context_window', 'inference_geo',
            'speed', 'session_id'
        ]) }} as analytics_usage_id,
        *,
        cache_write_5m_tokens + cache_write_1h_tokens as cache_write_tokens
    from renamed
),

final as (
    select *
    from keyed
    {{ newest_delivery(['analytics_usage_id']) }}
)

select * from final
