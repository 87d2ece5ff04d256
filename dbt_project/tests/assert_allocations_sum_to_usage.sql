-- Conservation: for every usage row, its allocations add up to the row exactly — every token
-- count and the cost (to 1e-10 USD). A failing row means spend was dropped or counted twice.
with

usage as (
    select * from {{ ref('fct_ai_usage') }}
),

allocated as (
    select
        ai_usage_id,
        sum(uncached_input_tokens) as uncached_input_tokens,
        sum(cache_read_tokens) as cache_read_tokens,
        sum(cache_write_tokens) as cache_write_tokens,
        sum(output_tokens) as output_tokens,
        sum(cost_usd) as cost_usd,
        sum(list_cost_usd) as list_cost_usd
    from {{ ref('fct_usage_allocation') }}
    group by ai_usage_id
)

select
    usage.ai_usage_id,
    usage.uncached_input_tokens,
    allocated.uncached_input_tokens as allocated_uncached_input_tokens,
    usage.output_tokens,
    allocated.output_tokens as allocated_output_tokens,
    usage.cost_usd,
    allocated.cost_usd as allocated_cost_usd
from usage
left join allocated on usage.ai_usage_id = allocated.ai_usage_id
where
    allocated.ai_usage_id is null
    or usage.uncached_input_tokens != allocated.uncached_input_tokens
    or usage.cache_read_tokens != allocated.cache_read_tokens
    or usage.cache_write_tokens != allocated.cache_write_tokens
    or usage.output_tokens != allocated.output_tokens
    or coalesce(usage.cost_usd, 0) != coalesce(allocated.cost_usd, 0)
    or coalesce(usage.list_cost_usd, 0) != coalesce(allocated.list_cost_usd, 0)
