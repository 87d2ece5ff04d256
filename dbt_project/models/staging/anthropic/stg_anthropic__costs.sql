-- One row per cost bucket x cost line of the cost report.
-- `amount` is a decimal string in cents ("123.78912" = USD 1.2378912).
with

source as (
    select * from {{ source('anthropic', 'cost_report') }}
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
        bucket_result ->> 'workspace_id' as workspace_id,
        bucket_result ->> 'description' as cost_description,
        bucket_result ->> 'cost_type' as cost_type,
        bucket_result ->> 'model' as model,
        bucket_result ->> 'token_type' as token_type,
        bucket_result ->> 'service_tier' as service_tier,
        bucket_result ->> 'context_window' as context_window,
        bucket_result ->> 'inference_geo' as inference_geo,
        bucket_result ->> 'amount' as amount_raw,
        'cents_decimal_string' as amount_raw_unit,
        upper(bucket_result ->> 'currency') as currency,
        {{ cents_string_to_usd("bucket_result ->> 'amount'") }} as amount_usd,
        _source_file,
        _record_number,
        _file_modified_at,
        _loaded_at
    from results
),

keyed as (
    select
        {{ surrogate_key([
            'bucket_start_at', 'workspace_id', 'cost_description', 'cost_type', 'model',
            'token_type', 'service_tier', 'context_window', 'inference_geo'
        ]) }} as cost_line_id,
        *
    from renamed
),

final as (
    select *
    from keyed
    {{ newest_delivery(['cost_line_id']) }}
)

select * from final
