-- A failure means an escaped defect is not a Jira bug created within
-- var('escaped_defect_window_days') days after its pull request merged (DESIGN: escaped defect).
select
    defects.pull_request_id,
    defects.bug_ticket_key,
    pull_requests.merged_at,
    tickets.created_at,
    tickets.is_bug
from {{ ref('int_pull_request_escaped_defects_linked') }} as defects
inner join {{ ref('fct_pull_requests') }} as pull_requests
    on defects.pull_request_id = pull_requests.pull_request_id
left join {{ ref('fct_tickets') }} as tickets
    on defects.bug_ticket_key = tickets.ticket_key
where
    tickets.ticket_key is null
    or not tickets.is_bug
    or tickets.created_at < pull_requests.merged_at
    or tickets.created_at
    > {{ dbt.dateadd('day', var('escaped_defect_window_days'), 'pull_requests.merged_at') }}
