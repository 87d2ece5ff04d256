with

pull_requests as (
    select * from {{ ref('int_pull_requests_linked') }}
),

ai_evidence as (
    select * from {{ ref('int_pull_request_ai_evidence_detected') }}
),

reworks as (
    select * from {{ ref('int_pull_request_reworks_detected') }}
),

escaped_defects as (
    select * from {{ ref('int_pull_request_escaped_defects_linked') }}
),

tickets as (
    select * from {{ ref('fct_tickets') }}
),

ai_summary as (
    select
        pull_request_id,
        {{ dbt.listagg('distinct evidence_kind', "','", 'order by evidence_kind') }} as ai_evidence,
        {{ dbt.listagg('distinct ai_tool', "','", 'order by ai_tool') }} as ai_tools,
        case max(
            case evidence_confidence when 'high' then 3 when 'medium' then 2 when 'low' then 1 end
        )
            when 3 then 'high'
            when 2 then 'medium'
            when 1 then 'low'
        end as ai_confidence
    from ai_evidence
    group by pull_request_id
),

rework_summary as (
    select
        pull_request_id,
        {{ dbt.listagg('distinct rework_reason', "','", 'order by rework_reason') }} as rework_reasons,
        min(reworked_at) as reworked_at
    from reworks
    group by pull_request_id
),

escaped_defect_summary as (
    select
        pull_request_id,
        count(*) as escaped_defect_count,
        {{ dbt.listagg('bug_ticket_key', "','", 'order by bug_ticket_key') }} as escaped_defect_ticket_keys
    from escaped_defects
    group by pull_request_id
),

final as (
    select
        pull_requests.pull_request_id,
        pull_requests.repository,
        pull_requests.pull_request_number,
        pull_requests.title,
        pull_requests.state,
        pull_requests.is_draft,
        pull_requests.head_ref,
        pull_requests.base_ref,
        pull_requests.merge_commit_sha,
        pull_requests.person_id,
        pull_requests.is_bot_authored,
        pull_requests.bot_author_login as author_login,
        pull_requests.is_agent_authored,
        pull_requests.agent_name,
        pull_requests.first_commit_at,
        pull_requests.opened_at,
        pull_requests.first_review_at,
        pull_requests.merged_at,
        pull_requests.closed_at,
        pull_requests.is_merged,
        pull_requests.is_closed_unmerged,
        cast(pull_requests.commit_count as integer) as commit_count,
        pull_requests.linked_ticket_keys,
        cast(pull_requests.linked_ticket_count as integer) as linked_ticket_count,
        pull_requests.primary_ticket_key,
        ai_summary.pull_request_id is not null as is_ai_assisted,
        ai_summary.ai_evidence,
        ai_summary.ai_tools,
        ai_summary.ai_confidence,
        pull_requests.is_revert,
        pull_requests.is_reverted,
        pull_requests.reverted_by_pull_request_id,
        pull_requests.reverted_at,
        rework_summary.pull_request_id is not null as is_reworked,
        rework_summary.rework_reasons,
        rework_summary.reworked_at,
        cast(coalesce(escaped_defect_summary.escaped_defect_count, 0) as integer) as escaped_defect_count,
        escaped_defect_summary.escaped_defect_ticket_keys,
        {{ hours_between('pull_requests.first_commit_at', 'pull_requests.opened_at') }} as coding_hours,
        {{ hours_between('pull_requests.opened_at', 'pull_requests.first_review_at') }} as pickup_hours,
        {{ hours_between('pull_requests.first_review_at', 'pull_requests.merged_at') }} as review_hours,
        {{ hours_between(
            'least(pull_requests.first_commit_at, pull_requests.opened_at)', 'pull_requests.merged_at'
        ) }} as cycle_hours,
        tickets.lead_time_hours as ticket_lead_time_hours
    from pull_requests
    left join ai_summary on pull_requests.pull_request_id = ai_summary.pull_request_id
    left join rework_summary on pull_requests.pull_request_id = rework_summary.pull_request_id
    left join escaped_defect_summary
        on pull_requests.pull_request_id = escaped_defect_summary.pull_request_id
    left join tickets on pull_requests.primary_ticket_key = tickets.ticket_key
)

select * from final
