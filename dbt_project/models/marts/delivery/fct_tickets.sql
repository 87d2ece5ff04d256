with

tickets as (
    select * from {{ ref('int_tickets_linked') }}
),

final as (
    select
        ticket_key,
        jira_issue_id,
        project_key,
        issue_type,
        is_bug,
        is_subtask,
        parent_ticket_key,
        title,
        status_name,
        status_category,
        person_id,
        created_at,
        started_at,
        done_at,
        resolved_at,
        updated_at,
        done_at is not null as is_done,
        {{ hours_between('created_at', 'done_at') }} as lead_time_hours,
        {{ hours_between('started_at', 'done_at') }} as cycle_time_hours,
        reopen_count > 0 as is_reopened,
        reopen_count,
        linked_pull_request_count,
        linked_merged_pull_request_count,
        linked_pull_request_ids,
        linked_pull_request_refs,
        linked_ticket_keys
    from tickets
)

select * from final
