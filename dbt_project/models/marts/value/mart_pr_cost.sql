with

pull_requests as (
    select * from {{ ref('fct_pull_requests') }}
),

allocations as (
    select * from {{ ref('fct_usage_allocation') }}
),

per_pull_request as (
    select
        pull_request_id,
        sum(case when method = 'explicit' then total_tokens else 0 end) as explicit_tokens,
        sum(case when method = 'time_window' then total_tokens else 0 end) as time_window_tokens,
        sum(case when method = 'explicit' then cost_usd else 0 end) as explicit_cost_usd,
        sum(case when method = 'time_window' then cost_usd else 0 end) as time_window_cost_usd,
        sum(case when confidence = 'high' then cost_usd else 0 end) as high_confidence_cost_usd,
        count(distinct ai_usage_id) as usage_row_count
    from allocations
    where pull_request_id is not null
    group by pull_request_id
),

final as (
    select
        pull_requests.pull_request_id,
        pull_requests.repository,
        pull_requests.pull_request_number,
        pull_requests.person_id,
        pull_requests.is_merged,
        pull_requests.is_closed_unmerged,
        pull_requests.is_reworked,
        cast(coalesce(per_pull_request.explicit_tokens, 0) as bigint) as explicit_tokens,
        cast(coalesce(per_pull_request.time_window_tokens, 0) as bigint) as time_window_tokens,
        cast(
            coalesce(per_pull_request.explicit_tokens, 0) + coalesce(per_pull_request.time_window_tokens, 0)
            as bigint
        ) as attributed_tokens,
        cast(coalesce(per_pull_request.explicit_cost_usd, 0) as decimal(38, 10)) as explicit_cost_usd,
        cast(coalesce(per_pull_request.time_window_cost_usd, 0) as decimal(38, 10)) as time_window_cost_usd,
        cast(
            coalesce(per_pull_request.explicit_cost_usd, 0) + coalesce(per_pull_request.time_window_cost_usd, 0)
            as decimal(38, 10)
        ) as attributed_cost_usd,
        cast(coalesce(per_pull_request.high_confidence_cost_usd, 0) as decimal(38, 10))
            as high_confidence_cost_usd,
        cast(
            coalesce(per_pull_request.explicit_cost_usd, 0)
            / nullif(
                coalesce(per_pull_request.explicit_cost_usd, 0)
                + coalesce(per_pull_request.time_window_cost_usd, 0),
                0
            ) as double
        ) as explicit_cost_share,
        cast(coalesce(per_pull_request.usage_row_count, 0) as bigint) as usage_row_count
    from pull_requests
    left join per_pull_request on pull_requests.pull_request_id = per_pull_request.pull_request_id
)

select * from final
