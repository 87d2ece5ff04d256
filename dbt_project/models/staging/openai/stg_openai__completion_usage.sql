-- One row per usage bucket x dimension set of the completions usage API.
-- `input_tokens` INCLUDES cached and cache-write tokens; uncached input is derived here.
with

source as (
    select * from {{ source('openai', 'usage_completions') }}
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
        cast(bucket ->> 'start_time' as bigint) as start_time_unix,
        cast(bucket ->> 'end_time' as bigint) as end_time_unix,
        unnest(cast(bucket -> 'results' as json[])) as bucket_result
    from buckets
),

renamed as (
    select
        cast(to_timestamp(start_time_unix) at time zone 'UTC' as timestamp) as bucket_start_at,
        cast(to_timestamp(end_time_unix) at time zone 'UTC' as timestamp) as bucket_end_at,
        cast(bucket_result ->> 'batch' as boolean) as is_batch,
        cast(bucket_result ->> 'input_uncached_tokens' as bigint) as reported_uncached_input_tokens,
        _source_file,
        _record_number,
        _file_modified_at,
        _loaded_at,
        bucket_result ->> 'project_id' as project_id,
        bucket_result ->> 'user_id' as user_id,
        bucket_result ->> 'api_key_id' as api_key_id,
        bucket_result ->> 'model' as model,
        bucket_result ->> 'service_tier' as service_tier,
        coalesce(cast(bucket_result ->> 'input_tokens' as bigint), 0) as input_tokens_including_cache,
        coalesce(cast(bucket_result ->> 'input_cached_tokens' as bigint), 0) as cache_read_tokens,
        coalesce(cast(bucket_result ->> 'input_cache_write_tokens' as bigint), 0) as cache_write_tokens,
        coalesce(cast(bucket_result ->> 'output_tokens' as bigint), 0) as output_tokens,
        coalesce(cast(bucket_result ->> 'num_model_requests' as bigint), 0) as request_count
    from results
),

normalised as (
    select
        *,
        -- Prefer the vendor's own uncached count (newer payloads); derive it for older ones.
        coalesce(
            reported_uncached_input_tokens,
            input_tokens_including_cache - cache_read_tokens - cache_write_tokens
        ) as uncached_input_tokens
    from renamed
),

keyed as (
    select
        {{ surrogate_key([
            'bucket_start_at', 'bucket_end_at', 'project_id', 'user_id', 'api_key_id', 'model',
            'is_batch', 'service_tier'
        ]) }} as completion_usage_id,
        *
    from normalised
),

final as (
    select *
    from keyed
    {{ newest_delivery(['completion_usage_id']) }}
)

select * from final
