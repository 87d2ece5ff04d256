-- One row per Cursor usage event, from the filtered-usage-events pages. `timestamp` is a
-- string of epoch milliseconds; money is cents as floats: cost = tokenUsage.totalCents +
-- cursorTokenFee (the dashboard's total), converted through decimals, never doubles.
-- Events carry no id, so the dedup key is every field that describes the event.
with

source as (
    select * from {{ source('cursor', 'usage_events') }}
),

events as (
    select
        _source_file,
        _record_number,
        _file_modified_at,
        _loaded_at,
        unnest(cast(payload -> 'usageEvents' as json[])) as usage_event
    from source
),

renamed as (
    select  -- noqa: ST06
        _source_file,
        _record_number,
        _file_modified_at,
        _loaded_at,
        'cents_float' as cents_raw_unit,
        cast(usage_event ->> 'timestamp' as bigint) as event_epoch_ms,
        epoch_ms(cast(usage_event ->> 'timestamp' as bigint)) as event_at,
        lower(usage_event ->> 'userEmail') as user_email,
        usage_event ->> 'model' as model,
        usage_event ->> 'kind' as kind,
        cast(usage_event ->> 'maxMode' as boolean) as is_max_mode,
        cast(usage_event ->> 'requestsCosts' as decimal(18, 6)) as request_units,
        cast(usage_event ->> 'isTokenBasedCall' as boolean) as is_token_based_call,
        cast(usage_event ->> 'isFreeBugbot' as boolean) as is_free_bugbot,
        cast(usage_event ->> 'isChargeable' as boolean) as is_chargeable,
        cast(usage_event ->> 'isHeadless' as boolean) as is_headless,
        -- tokenUsage is present only when isTokenBasedCall. inputTokens excludes cache reads and
        -- writes (the vendor example: 126 input next to 11964 cache-read tokens), so the four
        -- counts are disjoint as delivered.
        coalesce(cast(usage_event -> 'tokenUsage' ->> 'inputTokens' as bigint), 0) as uncached_input_tokens,
        coalesce(cast(usage_event -> 'tokenUsage' ->> 'cacheReadTokens' as bigint), 0) as cache_read_tokens,
        coalesce(cast(usage_event -> 'tokenUsage' ->> 'cacheWriteTokens' as bigint), 0) as cache_write_tokens,
        coalesce(cast(usage_event -> 'tokenUsage' ->> 'outputTokens' as bigint), 0) as output_tokens,
        usage_event -> 'tokenUsage' ->> 'totalCents' as token_cents_raw,
        usage_event ->> 'cursorTokenFee' as cursor_token_fee_cents_raw,
        usage_event ->> 'chargedCents' as charged_cents_raw,
        coalesce(cast(usage_event -> 'tokenUsage' ->> 'totalCents' as decimal(38, 12)), 0) as token_cents,
        coalesce(cast(usage_event ->> 'cursorTokenFee' as decimal(38, 12)), 0) as cursor_token_fee_cents
    from events
),

keyed as (
    select
        {{ surrogate_key([
            'user_email', 'event_epoch_ms', 'model', 'kind', 'is_max_mode', 'request_units',
            'is_token_based_call', 'uncached_input_tokens', 'cache_read_tokens',
            'cache_write_tokens', 'output_tokens', 'token_cents', 'cursor_token_fee_cents'
        ]) }} as usage_event_id,
        *
    from renamed
),

newest_delivery as (
    select *
    from keyed
    {{ newest_delivery(['usage_event_id']) }}
),

final as (
    select
        usage_event_id,
        event_at,
        cast(event_at as date) as usage_date,
        event_epoch_ms,
        user_email,
        model,
        kind,
        is_max_mode,
        request_units,
        is_token_based_call,
        is_free_bugbot,
        is_chargeable,
        is_headless,
        uncached_input_tokens,
        cache_read_tokens,
        cache_write_tokens,
        output_tokens,
        token_cents_raw,
        cursor_token_fee_cents_raw,
        charged_cents_raw,
        cents_raw_unit,
        {{ cents_to_usd('token_cents') }} as token_cost_usd,
        {{ cents_to_usd('cursor_token_fee_cents') }} as cursor_token_fee_usd,
        -- Summed in cents first (exact decimals), then converted: the dashboard's total.
        {{ cents_to_usd('token_cents + cursor_token_fee_cents') }} as cost_usd,
        _source_file,
        _file_modified_at,
        _loaded_at
    from newest_delivery
)

select * from final
