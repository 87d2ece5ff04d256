-- One row per provider × day where an LLM gateway key was used: the provider's own view of
-- the gateway key next to the gateway's logs. fct_ai_usage counts the gateway traffic once,
-- through the logs; this mart reports the difference, it never adds it (DESIGN).
with

ai_usage as (
    select * from {{ ref('int_ai_usage_priced') }}
),

provider_side as (
    select
        provider,
        usage_date,
        sum(uncached_input_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens + output_tokens)
            as provider_tokens,
        sum(cost_usd) as provider_cost_usd
    from ai_usage
    where is_gateway_covered
    group by provider, usage_date
),

gateway_side as (
    select
        provider,
        usage_date,
        sum(uncached_input_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens + output_tokens)
            as gateway_tokens,
        sum(vendor_cost_usd) as gateway_logged_usd,
        sum(request_count) as gateway_requests
    from ai_usage
    where usage_source = 'litellm_spend_logs'
    group by provider, usage_date
),

final as (
    select
        {{ surrogate_key([
            'coalesce(provider_side.provider, gateway_side.provider)',
            'coalesce(provider_side.usage_date, gateway_side.usage_date)'
        ]) }} as gateway_day_id,
        coalesce(provider_side.provider, gateway_side.provider) as provider,
        cast(coalesce(provider_side.usage_date, gateway_side.usage_date) as date) as usage_date,
        cast(coalesce(provider_side.provider_tokens, 0) as bigint) as provider_tokens,
        cast(coalesce(gateway_side.gateway_tokens, 0) as bigint) as gateway_tokens,
        cast(coalesce(provider_side.provider_tokens, 0) - coalesce(gateway_side.gateway_tokens, 0) as bigint)
            as token_difference,
        cast(provider_side.provider_cost_usd as decimal(38, 10)) as provider_cost_usd,
        cast(gateway_side.gateway_logged_usd as decimal(38, 10)) as gateway_logged_usd,
        cast(coalesce(gateway_side.gateway_requests, 0) as bigint) as gateway_requests
    from provider_side
    full outer join gateway_side
        on provider_side.provider = gateway_side.provider and provider_side.usage_date = gateway_side.usage_date
)

select * from final
