-- One row per closed pull request (merged or closed without merge), on the day it closed,
-- with the author's team that day: the grain MetricFlow needs for merged PRs, merge pass rate
-- and rework rate. The team is mart_team_weekly's (team on the merge or close day) and is
-- null where that mart suppresses the team-week, so no query can rebuild a suppressed week.
with

pull_requests as (
    select * from {{ ref('fct_pull_requests') }}
),

-- Every team's memberships, as mart_team_weekly counts them; privacy comes from the mart's
-- suppression below.
memberships as (
    select * from {{ ref('int_team_memberships') }}
),

team_weeks as (
    select * from {{ ref('mart_team_weekly') }}
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

teamed as (
    select
        closed.*,
        memberships.team
    from closed
    left join memberships
        on
            closed.person_id = memberships.person_id
            and closed.closed_date >= memberships.valid_from_date
            and (memberships.valid_until_date is null or closed.closed_date < memberships.valid_until_date)
),

final as (
    select
        teamed.pull_request_id,
        teamed.person_id,
        teamed.closed_date,
        teamed.is_merged,
        teamed.is_closed_unmerged,
        case when not coalesce(team_weeks.is_suppressed, true) then teamed.team end as team,
        teamed.is_merged and teamed.is_reworked as is_merged_and_reworked,
        teamed.is_merged and teamed.escaped_defect_count > 0 as is_merged_with_escaped_defect
    from teamed
    left join team_weeks
        on
            teamed.team = team_weeks.team
            and cast({{ dbt.date_trunc('week', 'teamed.closed_date') }} as date) = team_weeks.week_start_date
)

select * from final
