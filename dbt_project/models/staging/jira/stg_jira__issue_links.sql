-- One row per issue × linked issue × link type × direction, from `fields.issuelinks` of the
-- newest delivery of each issue (links can be removed, so older deliveries do not count).
-- Jira shows a link on both issues; each side is one row here, from that side's point of view.
with

source as (
    select * from {{ source('jira', 'issues') }}
),

issues as (
    select
        _source_file,
        _record_number,
        _file_modified_at,
        _loaded_at,
        unnest(cast(payload -> 'issues' as json[])) as issue
    from source
),

newest_delivery as (
    select *
    from issues
    qualify row_number() over (
        partition by issue ->> 'key'
        order by
            _file_modified_at desc,
            _loaded_at desc,
            {{ utc_timestamp("issue -> 'fields' ->> 'updated'") }} desc nulls last,
            _source_file desc,
            _record_number desc
    ) = 1
),

links as (
    select
        issue ->> 'key' as issue_key,
        unnest(cast(issue -> 'fields' -> 'issuelinks' as json[])) as link
    from newest_delivery
),

renamed as (
    select
        issue_key,
        link ->> 'id' as jira_issue_link_id,
        coalesce(link -> 'outwardIssue' ->> 'key', link -> 'inwardIssue' ->> 'key')
            as linked_issue_key,
        link -> 'type' ->> 'name' as link_type,
        case when (link -> 'outwardIssue') is not null then 'outward' else 'inward' end
            as link_direction,
        -- The link as read from this issue: "blocks" (outward) or "is blocked by" (inward).
        case
            when (link -> 'outwardIssue') is not null then link -> 'type' ->> 'outward'
            else link -> 'type' ->> 'inward'
        end as link_description
    from links
),

keyed as (
    select
        {{ surrogate_key(['issue_key', 'linked_issue_key', 'link_type', 'link_direction']) }}
            as issue_link_id,
        issue_key,
        linked_issue_key,
        link_type,
        link_direction,
        link_description,
        jira_issue_link_id
    from renamed
    where linked_issue_key is not null
),

final as (
    -- The same link listed twice on one issue counts once.
    select *
    from keyed
    qualify row_number() over (partition by issue_link_id order by jira_issue_link_id) = 1
)

select * from final
