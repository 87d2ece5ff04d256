-- One row per usage bucket x dimension set of the messages usage report.
-- Dimensions are null unless the extract grouped by them (vendor_formats.md).
with

source as (
    select * from {{ source('anthropic', 'usage_report_messages') }}
),

buckets as (
    select
        _source_file,
        _record_number,
        _file_modified_at,
        _loaded_at,
        unnest(cast(payload -> 'data' as json[])) as bucket
    from source
),

results as (
    select
        _source_file,
        _record_number,
        _file_modified_at,
        _loaded_at,
        cast(bucket ->> 'starting_at' as timestamptz) as bucket_start_at,
        cast(bucket ->> 'ending_at' as timestamptz) as bucket_end_at,
        unnest(cast(bucket -> 'results' as json[])) as bucket_result
    from buckets
),

renamed as (
    select
        cast(timezone('UTC', bucket_start_at) as timestamp) as bucket_start_at,
        cast(timezone('UTC', bucket_end_at) as timestamp) as bucket_end_at,
        _source_file,
        _record_number,
        _file_modified_at,
        _loaded_at,
        bucket_result ->> 'api_key_id' as api_key_id,
        bucket_result ->> 'account_id' as account_id,
        bucket_result ->> 'service_account_id' as service_account_id,
        bucket_result ->> 'workspace_id' as workspace_id,
        bucket_result ->> 'model' as model,
        bucket_result ->> 'service_tier' as service_tier,
        bucket_result ->> 'context_window' as context_window,
        bucket_result ->> 'inference_geo' as inference_geo,
        bucket_result ->> 'speed' as speed,
        coalesce(cast(bucket_result ->> 'uncached_input_tokens' as bigint), 0) as uncached_input_tokens,
        coalesce(cast(bucket_result ->> 'cache_read_input_tokens' as bigint), 0) as cache_read_tokens,
        coalesce(cast(bucket_result -> 'cache_creation' ->> 'ephemeral_5m_input_tokens' as bigint), 0)
            as cache_write_5m_tokens,
        coalesce(cast(bucket_result -> 'cache_creation' ->> 'ephemeral_1h_input_tokens' as bigint), 0)
            as cache_write_1h_tokens,
        coalesce(cast(bucket_result ->> 'output_tokens' as bigint), 0) as output_tokens,
        coalesce(cast(bucket_result -> 'server_tool_use' ->> 'web_search_requests' as bigint), 0)
            as web_search_requests
    from results
),

keyed as (
    select
        {{ surrogate_key([
            'bucket_start_at', 'bucket_end_at', 'api_key_id', 'account_id', 'service_account_id',
            'workspace_id', 'model', 'service_tier', 'context_window', 'inference_geo', 'speed'
        ]) }} as message_usage_id,
        *,
        cache_write_5m_tokens + cache_write_1h_tokens as cache_write_tokens
    from renamed
),

final as (
    -- Later extracts restate earlier buckets: the newest delivery of a bucket wins.
    select *
    from keyed
    {{ newest_delivery(['message_usage_id']) }}
)

select * from final
