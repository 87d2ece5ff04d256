with

usage as (
    select * from {{ ref('int_ai_usage_daily') }}
),

memberships as (
    select * from {{ ref('int_team_memberships') }}
),

final as (
    -- Public column order (team beside person) over sqlfluff's simple-columns-first rule.
    select  -- noqa: ST06
        usage.ai_usage_id,
        usage.usage_date,
        usage.person_id,
        coalesce(memberships.team, usage.team_hint) as team,
        usage.provider,
        usage.tool,
        usage.model,
        usage.usage_source,
        usage.cost_basis,
        usage.is_ledger,
        usage.uncached_input_tokens,
        usage.cache_read_tokens,
        usage.cache_write_tokens,
        usage.output_tokens,
        usage.total_tokens,
        usage.request_count,
        usage.list_cost_usd,
        usage.cost_usd,
        usage.cache_savings_usd,
        usage.has_list_price
    from usage
    left join memberships
        on
            usage.person_id = memberships.person_id
            and usage.usage_date >= memberships.valid_from_date
            and (memberships.valid_until_date is null or usage.usage_date < memberships.valid_until_date)
)

select * from final
