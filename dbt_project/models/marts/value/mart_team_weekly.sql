-- One row per team × ISO week. A PR belongs to its author's team on the day it was merged
-- (or closed); usage belongs to the person's team on the usage day. Teams with fewer than
-- var('min_group_size') people that week are suppressed: the row stays, every metric is null.
with

usage as (
    select * from {{ ref('fct_ai_usage') }}
),

allocations as (
    select * from {{ ref('fct_usage_allocation') }}
),

pull_requests as (
    select * from {{ ref('fct_pull_requests') }}
),

memberships as (
    select * from {{ ref('dim_team_memberships') }}
),

spend as (
    select
        team,
        cast({{ dbt.date_trunc('week', 'usage_date') }} as date) as week_start_date,
        sum(cost_usd) as spend_usd,
        sum(total_tokens) as total_tokens,
        sum(cache_read_tokens) as cache_read_tokens,
        sum(uncached_input_tokens + cache_read_tokens + cache_write_tokens) as input_tokens,
        sum(cache_savings_usd) as cache_savings_usd
    from usage
    where team is not null
    group by team, cast({{ dbt.date_trunc('week', 'usage_date') }} as date)
),

attributed as (
    select
        team,
        cast({{ dbt.date_trunc('week', 'usage_date') }} as date) as week_start_date,
        sum(case when method != 'unattributed' then cost_usd else 0 end) as attributed_usd,
        sum(case when method = 'explicit' then cost_usd else 0 end) as explicit_usd
    from allocations
    where team is not null
    group by team, cast({{ dbt.date_trunc('week', 'usage_date') }} as date)
),

pull_request_teams as (
    select
        pull_requests.*,
        memberships.team,
        cast(
            {{ dbt.date_trunc('week', 'coalesce(pull_requests.merged_at, pull_requests.closed_at)') }} as date
        ) as week_start_date
    from pull_requests
    inner join memberships
        on
            pull_requests.person_id = memberships.person_id
            and cast(coalesce(pull_requests.merged_at, pull_requests.closed_at) as date)
            >= memberships.valid_from_date
            and (
                memberships.valid_until_date is null
                or cast(coalesce(pull_requests.merged_at, pull_requests.closed_at) as date)
                < memberships.valid_until_date
            )
    where pull_requests.merged_at is not null or pull_requests.closed_at is not null
),

delivery as (
    select
        team,
        week_start_date,
        count(case when is_merged then 1 end) as merged_pull_requests,
        count(case when is_closed_unmerged then 1 end) as closed_unmerged_pull_requests,
        count(case when is_merged and is_reworked then 1 end) as reworked_pull_requests,
        count(case when is_merged and escaped_defect_count > 0 then 1 end)
            as pull_requests_with_escaped_defects,
        count(case when is_merged and is_ai_assisted then 1 end) as ai_assisted_pull_requests,
        count(
            case when is_merged and not is_reworked and escaped_defect_count = 0 then 1 end
        ) as productive_pull_requests,
        percentile_cont(0.5) within group (
            order by case when is_merged then cycle_hours end
        ) as median_cycle_hours
    from pull_request_teams
    group by team, week_start_date
),

weeks as (
    select distinct week_start_date from spend
    union
    select distinct week_start_date from delivery
),

headcount as (
    select
        memberships.team,
        weeks.week_start_date,
        count(distinct memberships.person_id) as team_size
    from memberships
    inner join weeks
        on
            memberships.valid_from_date < {{ dbt.dateadd('day', 7, 'weeks.week_start_date') }}
            and (memberships.valid_until_date is null or memberships.valid_until_date > weeks.week_start_date)
    group by memberships.team, weeks.week_start_date
),

combined as (
    select
        headcount.team,
        cast(headcount.week_start_date as date) as week_start_date,
        headcount.team_size,
        headcount.team_size < {{ var('min_group_size') }} as is_suppressed,
        coalesce(spend.spend_usd, 0) as spend_usd,
        coalesce(spend.total_tokens, 0) as total_tokens,
        coalesce(attributed.attributed_usd, 0) as attributed_usd,
        coalesce(attributed.explicit_usd, 0) as explicit_usd,
        spend.cache_read_tokens,
        spend.input_tokens,
        coalesce(spend.cache_savings_usd, 0) as cache_savings_usd,
        coalesce(delivery.merged_pull_requests, 0) as merged_pull_requests,
        coalesce(delivery.closed_unmerged_pull_requests, 0) as closed_unmerged_pull_requests,
        coalesce(delivery.reworked_pull_requests, 0) as reworked_pull_requests,
        coalesce(delivery.pull_requests_with_escaped_defects, 0) as pull_requests_with_escaped_defects,
        coalesce(delivery.ai_assisted_pull_requests, 0) as ai_assisted_pull_requests,
        coalesce(delivery.productive_pull_requests, 0) as productive_pull_requests,
        delivery.median_cycle_hours
    from headcount
    left join spend
        on headcount.team = spend.team and headcount.week_start_date = spend.week_start_date
    left join attributed
        on headcount.team = attributed.team and headcount.week_start_date = attributed.week_start_date
    left join delivery
        on headcount.team = delivery.team and headcount.week_start_date = delivery.week_start_date
),

metrics as (
    select
        team,
        week_start_date,
        team_size,
        is_suppressed,
        spend_usd,
        total_tokens,
        merged_pull_requests,
        median_cycle_hours,
        cache_savings_usd,
        productive_pull_requests,
        attributed_usd / nullif(spend_usd, 0) as attributed_share,
        explicit_usd / nullif(spend_usd, 0) as explicit_share,
        spend_usd / nullif(merged_pull_requests, 0) as cost_per_merged_pr_usd,
        cast(merged_pull_requests as double)
        / nullif(merged_pull_requests + closed_unmerged_pull_requests, 0) as merge_pass_rate,
        cast(reworked_pull_requests as double) / nullif(merged_pull_requests, 0) as rework_rate,
        cast(pull_requests_with_escaped_defects as double) / nullif(merged_pull_requests, 0)
            as escaped_defect_rate,
        cast(ai_assisted_pull_requests as double) / nullif(merged_pull_requests, 0) as ai_assisted_share,
        cast(cache_read_tokens as double) / nullif(input_tokens, 0) as cache_hit_ratio,
        productive_pull_requests * 1000.0 / nullif(spend_usd, 0) as productive_prs_per_1k_usd
    from combined
),

ranked as (
    select
        *,
        case when not is_suppressed then rank() over (
            partition by week_start_date, is_suppressed order by total_tokens desc
        ) end as raw_token_rank,
        case when not is_suppressed then rank() over (
            partition by week_start_date, is_suppressed
            order by productive_prs_per_1k_usd desc nulls last, productive_pull_requests desc
        ) end as value_rank
    from metrics
),

final as (
    select
        {{ surrogate_key(['team', 'week_start_date']) }} as team_week_id,
        team,
        week_start_date,
        cast({{ dbt.dateadd('day', 6, 'week_start_date') }} as date) as week_end_date,
        cast(team_size as integer) as team_size,
        is_suppressed,
        -- Suppressed rows keep team and week; every metric is null.
        cast(case when not is_suppressed then spend_usd end as decimal(38, 10)) as spend_usd,
        cast(case when not is_suppressed then total_tokens end as bigint) as total_tokens,
        cast(case when not is_suppressed then attributed_share end as double) as attributed_share,
        cast(case when not is_suppressed then explicit_share end as double) as explicit_share,
        cast(case when not is_suppressed then merged_pull_requests end as integer) as merged_pull_requests,
        cast(case when not is_suppressed then cost_per_merged_pr_usd end as decimal(38, 10)) as cost_per_merged_pr_usd,
        cast(case when not is_suppressed then merge_pass_rate end as double) as merge_pass_rate,
        cast(case when not is_suppressed then rework_rate end as double) as rework_rate,
        cast(case when not is_suppressed then escaped_defect_rate end as double) as escaped_defect_rate,
        cast(case when not is_suppressed then median_cycle_hours end as double) as median_cycle_hours,
        cast(case when not is_suppressed then ai_assisted_share end as double) as ai_assisted_share,
        cast(case when not is_suppressed then cache_hit_ratio end as double) as cache_hit_ratio,
        cast(case when not is_suppressed then cache_savings_usd end as decimal(38, 10)) as cache_savings_usd,
        cast(case when not is_suppressed then productive_pull_requests end as integer) as productive_pull_requests,
        cast(case when not is_suppressed then productive_prs_per_1k_usd end as double) as productive_prs_per_1k_usd,
        cast(case when not is_suppressed then raw_token_rank end as integer) as raw_token_rank,
        cast(case when not is_suppressed then value_rank end as integer) as value_rank
    from ranked
)

select * from final
