-- One row per merged pull request × escaped defect (DESIGN): a Jira bug created within
-- var('escaped_defect_window_days') after the merge that is linked to the PR (the PR names the
-- bug) or to one of the PR's tickets (issue link or parent/child, either direction).
with

pull_requests as (
    select * from {{ ref('int_pull_requests_linked') }}
),

tickets as (
    select * from {{ ref('int_pull_request_tickets_linked') }}
),

ticket_links as (
    select * from {{ ref('int_ticket_links_mirrored') }}
),

issues as (
    select * from {{ ref('stg_jira__issues') }}
),

bugs as (
    select * from issues
    where is_bug
),

candidates as (
    select
        tickets.pull_request_id,
        tickets.ticket_key as bug_ticket_key,
        'pull_request' as linked_via
    from tickets
    union all
    select
        tickets.pull_request_id,
        ticket_links.linked_ticket_key as bug_ticket_key,
        'ticket' as linked_via
    from tickets
    inner join ticket_links on tickets.ticket_key = ticket_links.ticket_key
),

escaped as (
    select
        pull_requests.pull_request_id,
        bugs.issue_key as bug_ticket_key,
        bugs.created_at as bug_created_at,
        min(candidates.linked_via) as linked_via
    from pull_requests
    inner join candidates on pull_requests.pull_request_id = candidates.pull_request_id
    inner join bugs on candidates.bug_ticket_key = bugs.issue_key
    where
        pull_requests.is_merged
        and bugs.created_at >= pull_requests.merged_at
        and bugs.created_at
        <= {{ dbt.dateadd('day', var('escaped_defect_window_days'), 'pull_requests.merged_at') }}
    group by pull_requests.pull_request_id, bugs.issue_key, bugs.created_at
),

final as (
    select
        {{ surrogate_key(['pull_request_id', 'bug_ticket_key']) }} as pull_request_escaped_defect_id,
        pull_request_id,
        bug_ticket_key,
        bug_created_at,
        linked_via
    from escaped
)

select * from final
