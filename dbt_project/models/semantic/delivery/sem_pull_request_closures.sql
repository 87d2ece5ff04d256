-- One row per closed pull request (merged or closed without merge), with the author's team on
-- the day it closed: the grain MetricFlow needs for merged PRs, merge pass rate and rework
-- rate per team. The team rule is mart_team_weekly's (team on the merge or close day; null when
-- the author has no team that day); once a PR's team lives on fct_pull_requests this model
-- should read it from there.
with

pull_requests as (
    select * from {{ ref('fct_pull_requests') }}
),

memberships as (
    select * from {{ ref('dim_team_memberships') }}
),

closed as (
    select
        pull_request_id,
        person_id,
        is_merged,
        is_closed_unmerged,
        is_reworked,
        escaped_defect_count,
        cast(coalesce(merged_at, closed_at) as date) as closed_date
    from pull_requests
    where merged_at is not null or closed_at is not null
),

final as (
    select
        closed.pull_request_id,
        closed.person_id,
        memberships.team,
        closed.closed_date,
        closed.is_merged,
        closed.is_closed_unmerged,
        closed.is_merged and closed.is_reworked as is_merged_and_reworked,
        closed.is_merged and closed.escaped_defect_count > 0 as is_merged_with_escaped_defect
    from closed
    left join memberships
        on
            closed.person_id = memberships.person_id
            and closed.closed_date >= memberships.valid_from_date
            and (memberships.valid_until_date is null or closed.closed_date < memberships.valid_until_date)
)

select * from final
