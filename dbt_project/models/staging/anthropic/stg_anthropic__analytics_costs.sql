-- One row per time bucket x group of the Usage and Cost Analytics API cost endpoint; newest
-- delivery wins. `amount` (billed: after discounts, before credits) and `list_amount` (list
-- price) are fractional cents as decimal strings ("123.456789" = USD 1.23456789).
with

source as (
    select * from {{ source('anthropic', 'analytics_cost') }}
),

rows_of_page as (
    select
        _source_file,
        _record_number,
        _file_modified_at,
        _loaded_at,
        unnest(cast(payload -> 'data' as json[])) as cost_row
    from source
),

renamed as (
    select
        {{ utc_timestamp("cost_row ->> 'starting_at'") }} as bucket_start_at,
        {{ utc_timestamp("cost_row ->> 'ending_at'") }} as bucket_end_at,
        coalesce(cost_row -> 'group' -> 'actor' ->> 'type', cost_row -> 'group' ->> 'actor_type')
            as actor_type,
        coalesce(
            cost_row -> 'group' -> 'actor' ->> 'user_id',
            cost_row -> 'group' -> 'actor' ->> 'service_account_id',
            cost_row -> 'group' -> 'actor' ->> 'api_key_id',
            cost_row -> 'group' -> 'actor' ->> 'id'
        ) as actor_id,
        lower(cost_row -> 'group' -> 'actor' ->> 'email_address') as actor_email,
        cost_row -> 'group' ->> 'api_key_id' as api_key_id,
        cost_row -> 'group' ->> 'workspace_id' as workspace_id,
        cost_row -> 'group' ->> 'model' as model,
        cost_row -> 'group' ->> 'product' as product,
        cost_row -> 'group' ->> 'service_tier' as service_tier,
        cost_row -> 'group' ->> 'context_window' as context_window,
        cost_row -> 'group' ->> 'inference_geo' as inference_geo,
        cost_row -> 'group' ->> 'speed' as speed,
        cost_row -> 'group' ->> 'session_id' as session_id,
        cost_row -> 'group' ->> 'cost_type' as cost_type,
        cost_row -> 'group' ->> 'token_type' as token_type,
        cost_row -> 'cost' ->> 'amount' as amount_raw,
        cost_row -> 'cost' ->> 'list_amount' as list_amount_raw,
        'fractional_cents_decimal_string' as amount_raw_unit,
        upper(cost_row -> 'cost' ->> 'currency') as currency,
        {{ cents_string_to_usd("cost_row -> 'cost' ->> 'amount'") }} as amount_usd,
        {{ cents_string_to_usd("cost_row -> 'cost' ->> 'list_amount'") }} as list_amount_usd,
        cast(cost_row -> 'cost' ->> 'requests' as bigint) as request_count,
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
            'speed', 'session_id', 'cost_type', 'token_type'
        ]) }} as analytics_cost_id,
        *
    from renamed
),

final as (
    select *
    from keyed
    {{ newest_delivery(['analytics_cost_id']) }}
)

select * from final
