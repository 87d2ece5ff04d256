-- One row per Jira status change, with the status category (new, indeterminate, done) of the
-- status left and of the status entered. The changelog carries only status ids and names, so a
-- status's category comes from the issues that currently hold it (by id, then by name); a
-- status no delivered issue holds now falls back to common workflow names, English or Jira's
-- Chinese defaults ("Closed" → done, "Inbox" or "Ready for Dev" → new, anything else →
-- indeterminate, since custom in-between statuses such as "In Review" or "QA" are the usual case).
with

status_changes as (
    select * from {{ ref('stg_jira__issue_status_changes') }}
),

issues as (
    select * from {{ ref('stg_jira__issues') }}
),

categories_by_id as (
    select
        status_id,
        mode(status_category) as status_category
    from issues
    where status_id is not null and status_category is not null
    group by status_id
),

categories_by_name as (
    select
        lower(status_name) as status_name,
        mode(status_category) as status_category
    from issues
    where status_name is not null and status_category is not null
    group by lower(status_name)
),

statuses_seen as (
    select
        from_status_id as status_id,
        from_status_name as status_name
    from status_changes
    union
    select
        to_status_id as status_id,
        to_status_name as status_name
    from status_changes
),

status_catalog as (
    select
        statuses_seen.status_id,
        statuses_seen.status_name,
        coalesce(
            categories_by_id.status_category,
            categories_by_name.status_category,
            case
                when regexp_matches(
                    lower(statuses_seen.status_name),
                    '^(done|closed|resolved|released|complete|completed|cancell?ed|won''t do|rejected|已完成)$'
                ) then 'done'
                when regexp_matches(
                    lower(statuses_seen.status_name),
                    '^(to ?do|open|new|backlog|inbox|triage|reopened|ready|ready for dev(elopment)?'
                    || '|selected for development|待办)$'
                ) then 'new'
                when statuses_seen.status_name is not null then 'indeterminate'
            end
        ) as status_category
    from statuses_seen
    left join categories_by_id on statuses_seen.status_id = categories_by_id.status_id
    left join categories_by_name on lower(statuses_seen.status_name) = categories_by_name.status_name
),

categorized as (
    select
        status_changes.issue_status_change_id,
        status_changes.issue_key,
        status_changes.changelog_history_id,
        status_changes.changed_at,
        status_changes.from_status_id,
        status_changes.from_status_name,
        from_catalog.status_category as from_status_category,
        status_changes.to_status_id,
        status_changes.to_status_name,
        to_catalog.status_category as to_status_category
    from status_changes
    left join status_catalog as from_catalog
        on
            status_changes.from_status_id is not distinct from from_catalog.status_id
            and status_changes.from_status_name is not distinct from from_catalog.status_name
    left join status_catalog as to_catalog
        on
            status_changes.to_status_id is not distinct from to_catalog.status_id
            and status_changes.to_status_name is not distinct from to_catalog.status_name
),

final as (
    select
        *,
        coalesce(from_status_category = 'done' and to_status_category != 'done', false) as is_reopen
    from categorized
)

select * from final
