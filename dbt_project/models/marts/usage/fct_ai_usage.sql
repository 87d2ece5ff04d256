with

usage as (
    select * from {{ ref('int_ai_usage_priced') }}
),

memberships as (
    select * from {{ ref('int_team_memberships') }}
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
        sum(uncached_input_tokens) as uncached_input_tokens,
        sum(cache_read_tokens) as cache_read_tokens,
        sum(cache_write_5m_tokens + cache_write_1h_tokens) as cache_write_tokens,
        sum(output_tokens) as output_tokens,
        sum(request_count) as request_count,
        sum(list_cost_usd) as list_cost_usd,
        sum(cost_usd) as cost_usd,
        sum(cache_savings_usd) as cache_savings_usd,
        bool_and(has_list_price) as has_list_price
    from usage
    group by
        usage_date, person_id, provider, tool, model, usage_source, cost_basis, is_ledger
),

final as (
    select
        {{ surrogate_key(['aggregated.usage_date', 'aggregated.person_id', 'aggregated.provider', 'aggregated.tool', 'aggregated.model', 'aggregated.usage_source']) }}
            as ai_usage_id,
        aggregated.usage_date,
        aggregated.person_id,
        memberships.team,
        aggregated.provider,
        aggregated.tool,
        aggregated.model,
        aggregated.usage_source,
        aggregated.cost_basis,
        aggregated.is_ledger,
        cast(aggregated.uncached_input_tokens as bigint) as uncached_input_tokens,
        cast(aggregated.cache_read_tokens as bigint) as cache_read_tokens,
        cast(aggregated.cache_write_tokens as bigint) as cache_write_tokens,
        cast(aggregated.output_tokens as bigint) as output_tokens,
        cast(
            aggregated.uncached_input_tokens + aggregated.cache_read_tokens
            + aggregated.cache_write_tokens + aggregated.output_tokens
            as bigint
        ) as total_tokens,
        cast(aggregated.request_count as bigint) as request_count,
        cast(aggregated.list_cost_usd as decimal(38, 10)) as list_cost_usd,
        cast(aggregated.cost_usd as decimal(38, 10)) as cost_usd,
        cast(aggregated.cache_savings_usd as decimal(38, 10)) as cache_savings_usd,
        coalesce(aggregated.has_list_price, false) as has_list_price
    from aggregated
    left join memberships
        on
            aggregated.person_id = memberships.person_id
            and aggregated.usage_date >= memberships.valid_from_date
            and (
                memberships.valid_until_date is null
                or aggregated.usage_date < memberships.valid_until_date
            )
)

select * from final
