with

allocations as (
    select * from {{ ref('int_usage_allocated') }}
),

usage as (
    select * from {{ ref('fct_ai_usage') }}
),

final as (
    select
        allocations.usage_allocation_id,
        allocations.ai_usage_id,
        allocations.pull_request_id,
        allocations.method,
        allocations.evidence,
        allocations.confidence,
        usage.usage_date,
        usage.person_id,
        usage.team,
        usage.provider,
        usage.tool,
        usage.model,
        usage.usage_source,
        usage.cost_basis,
        cast(allocations.allocation_share as decimal(20, 18)) as allocation_share,
        allocations.uncached_input_tokens,
        allocations.cache_read_tokens,
        allocations.cache_write_tokens,
        allocations.output_tokens,
        allocations.total_tokens,
        allocations.cost_usd,
        allocations.list_cost_usd
    from allocations
    inner join usage on allocations.ai_usage_id = usage.ai_usage_id
)

select * from final
