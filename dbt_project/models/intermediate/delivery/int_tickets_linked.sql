-- One row per Jira ticket, with its assignee resolved to a person, its status milestones from
-- the changelog, the pull requests that name it and the tickets linked to it.
with

issues as (
    select * from {{ ref('stg_jira__issues') }}
),

status_changes as (
    select * from {{ ref('int_ticket_status_changes_categorized') }}
),

identities as (
    select * from {{ ref('int_identities_resolved') }}
),

pull_request_tickets as (
    select * from {{ ref('int_pull_request_tickets_linked') }}
),

pull_requests as (
    select * from {{ ref('int_pull_requests_linked') }}
),

ticket_links as (
    select * from {{ ref('int_ticket_links_mirrored') }}
),

status_milestones as (
    select
        issue_key,
        min(case when to_status_category = 'indeterminate' then changed_at end) as first_started_at,
        min(case when to_status_category = 'done' then changed_at end) as first_done_at,
        sum(case when is_reopen then 1 else 0 end) as reopen_count
    from status_changes
    group by issue_key
),

linked_pull_requests as (
    select
        pull_request_tickets.ticket_key,
        count(*) as linked_pull_request_count,
        sum(case when pull_requests.is_merged then 1 else 0 end) as linked_merged_pull_request_count,
        {{ dbt.listagg(
            "pull_requests.repository || '#' || cast(pull_requests.pull_request_number as varchar)",
            "','",
            'order by pull_requests.repository, pull_requests.pull_request_number'
        ) }} as linked_pull_request_refs,
        {{ dbt.listagg(
            'pull_request_tickets.pull_request_id',
            "','",
            'order by pull_request_tickets.pull_request_id'
        ) }} as linked_pull_request_ids
    from pull_request_tickets
    inner join pull_requests on pull_request_tickets.pull_request_id = pull_requests.pull_request_id
    group by pull_request_tickets.ticket_key
),

linked_tickets as (
    select
        ticket_key,
        {{ dbt.listagg('linked_ticket_key', "','", 'order by linked_ticket_key') }} as linked_ticket_keys
    from ticket_links
    group by ticket_key
),

-- Done: the first move into a done-category status, or resolutiondate when the changelog
-- shows none; null while the ticket is not done (e.g. reopened and not yet done again).
final as (
    select
        issues.issue_key as ticket_key,
        issues.issue_id as jira_issue_id,
        issues.project_key,
        issues.issue_type,
        issues.is_bug,
        issues.is_subtask,
        issues.parent_issue_key as parent_ticket_key,
        issues.title,
        issues.status_name,
        issues.status_category,
        issues.created_at,
        status_milestones.first_started_at as started_at,
        issues.resolved_at,
        issues.updated_at,
        linked_pull_requests.linked_pull_request_refs,
        linked_pull_requests.linked_pull_request_ids,
        linked_tickets.linked_ticket_keys,
        cast(coalesce(status_milestones.reopen_count, 0) as integer) as reopen_count,
        cast(coalesce(linked_pull_requests.linked_pull_request_count, 0) as integer)
            as linked_pull_request_count,
        cast(coalesce(linked_pull_requests.linked_merged_pull_request_count, 0) as integer)
            as linked_merged_pull_request_count,
        coalesce(by_account.person_id, by_email.person_id) as person_id,
        case
            when issues.status_category = 'done' or issues.resolved_at is not null
                then coalesce(status_milestones.first_done_at, issues.resolved_at)
        end as done_at
    from issues
    left join identities as by_account
        on
            by_account.account_system = 'jira'
            and issues.assignee_account_id = by_account.external_id
    left join identities as by_email
        on
            by_email.account_system = 'email'
            and issues.assignee_email = by_email.external_id
    left join status_milestones on issues.issue_key = status_milestones.issue_key
    left join linked_pull_requests on issues.issue_key = linked_pull_requests.ticket_key
    left join linked_tickets on issues.issue_key = linked_tickets.ticket_key
)

select * from final
