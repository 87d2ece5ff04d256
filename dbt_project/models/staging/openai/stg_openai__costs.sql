-- One row per cost bucket x cost line. `amount.value` is dollars (a JSON number, or a
-- string in some fixtures), parsed as a decimal.
with

source as (
    select * from {{ source('openai', 'costs') }}
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
        bucket_result ->> 'project_id' as project_id,
        bucket_result ->> 'api_key_id' as api_key_id,
        bucket_result ->> 'line_item' as line_item,
        cast(bucket_result ->> 'quantity' as decimal(38, 6)) as quantity,
        bucket_result ->> 'quantity_unit' as quantity_unit,
        bucket_result -> 'amount' ->> 'value' as amount_raw,
        'dollars' as amount_raw_unit,
        upper(bucket_result -> 'amount' ->> 'currency') as currency,
        {{ dollars_to_usd("bucket_result -> 'amount' ->> 'value'") }} as amount_usd,
        _source_file,
        _record_number,
        _file_modified_at,
        _loaded_at
    from results
),

keyed as (
    select
        {{ surrogate_key(['bucket_start_at', 'bucket_end_at', 'project_id', 'api_key_id', 'line_item']) }}
            as cost_line_id,
        *
    from renamed
),

final as (
    select *
    from keyed
    {{ newest_delivery(['cost_line_id']) }}
)

select * from final
