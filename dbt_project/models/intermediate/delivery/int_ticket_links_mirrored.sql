-- One row per ordered pair of related Jira tickets (ticket_key, linked_ticket_key), present in
-- both directions whichever issue's payload carried the link. Related means an issue link of
-- any type (`issuelinks`) or a parent/child relation (`fields.parent`, e.g. a bug sub-task).
with

issue_links as (
    select * from {{ ref('stg_jira__issue_links') }}
),

issues as (
    select * from {{ ref('stg_jira__issues') }}
),

directed as (
    select
        issue_key as ticket_key,
        linked_issue_key as linked_ticket_key,
        link_type
    from issue_links
    union all
    select
        linked_issue_key as ticket_key,
        issue_key as linked_ticket_key,
        link_type
    from issue_links
    union all
    select
        issue_key as ticket_key,
        parent_issue_key as linked_ticket_key,
        'parent' as link_type
    from issues
    where parent_issue_key is not null
    union all
    select
        parent_issue_key as ticket_key,
        issue_key as linked_ticket_key,
        'parent' as link_type
    from issues
    where parent_issue_key is not null
),

final as (
    select
        {{ surrogate_key(['ticket_key', 'linked_ticket_key']) }} as ticket_link_id,
        ticket_key,
        linked_ticket_key,
        {{ dbt.listagg('distinct link_type', "','", 'order by link_type') }} as link_types
    from directed
    where ticket_key != linked_ticket_key
    group by ticket_key, linked_ticket_key
)

select * from final
