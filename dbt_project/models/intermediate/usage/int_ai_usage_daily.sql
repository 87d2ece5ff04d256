-- One row per day × person × provider × tool × model × source: the grain of fct_ai_usage,
-- built here so allocation (an intermediate) and the mart share one definition of a usage row.
-- Copilot seats join here as one row per seat-day (the day's share of the monthly price).
with

ai_usage as (
    select * from {{ ref('int_ai_usage_priced') }}
),

seat_days as (
    select * from {{ ref('int_copilot_seat_days') }}
),

identities as (
    select * from {{ ref('int_identities_resolved') }}
),

aggregated as (
    select
        usage_date,
        person_id,
        provider,
        tool,
        model,
        usage_source,
        cost_basis,
        is_ledger,
        team_hint,
        sum(uncached_input_tokens) as uncached_input_tokens,
        sum(cache_read_tokens) as cache_read_tokens,
        sum(cache_write_5m_tokens + cache_write_1h_tokens) as cache_write_tokens,
        sum(output_tokens) as output_tokens,
        sum(request_count) as request_count,
        sum(list_cost_usd) as list_cost_usd,
        sum(cost_usd) as cost_usd,
        sum(cache_savings_usd) as cache_savings_usd,
        bool_and(has_list_price) as has_list_price
    from ai_usage
    -- Provider-side usage under the gateway's key is counted through the gateway's logs.
    where not is_gateway_covered
    group by
        usage_date, person_id, provider, tool, model, usage_source, cost_basis, is_ledger, team_hint
),

seats as (
    select
        seat_days.seat_date as usage_date,
        logins.person_id,
        'github' as provider,
        'github_copilot' as tool,
        'copilot_' || coalesce(seat_days.plan_type, 'unknown') as model,
        'copilot_seats' as usage_source,
        'list_price' as cost_basis,
        true as is_ledger,
        cast(null as varchar) as team_hint,
        0 as uncached_input_tokens,
        0 as cache_read_tokens,
        0 as cache_write_tokens,
        0 as output_tokens,
        cast(null as bigint) as request_count,
        sum(seat_days.seat_cost_usd) as list_cost_usd,
        sum(seat_days.seat_cost_usd) as cost_usd,
        0 as cache_savings_usd,
        bool_and(seat_days.seat_cost_usd is not null) as has_list_price
    from seat_days
    left join identities as logins
        on logins.account_system = 'github' and seat_days.user_login = logins.external_id
    group by seat_days.seat_date, logins.person_id, seat_days.plan_type
),

unioned as (
    select * from aggregated
    union all
    select * from seats
),

final as (
    select
        -- team_hint only distinguishes person-less rows (FOCUS charges tagged with a team).
        {{ surrogate_key(['usage_date', 'person_id', 'provider', 'tool', 'model', 'usage_source', 'team_hint']) }}
            as ai_usage_id,
        usage_date,
        person_id,
        provider,
        tool,
        model,
        usage_source,
        cost_basis,
        is_ledger,
        team_hint,
        cast(uncached_input_tokens as bigint) as uncached_input_tokens,
        cast(cache_read_tokens as bigint) as cache_read_tokens,
        cast(cache_write_tokens as bigint) as cache_write_tokens,
        cast(output_tokens as bigint) as output_tokens,
        cast(
            uncached_input_tokens + cache_read_tokens + cache_write_tokens + output_tokens as bigint
        ) as total_tokens,
        cast(request_count as bigint) as request_count,
        cast(list_cost_usd as decimal(38, 10)) as list_cost_usd,
        cast(cost_usd as decimal(38, 10)) as cost_usd,
        cast(cache_savings_usd as decimal(38, 10)) as cache_savings_usd,
        coalesce(has_list_price, false) as has_list_price
    from unioned
)

select * from final
