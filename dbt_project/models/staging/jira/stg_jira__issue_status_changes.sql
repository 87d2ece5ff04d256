-- One row per status item in an issue's changelog (`expand=changelog` in search pages).
-- Changelog entries never change once written, so every delivery adds to the history: an entry
-- seen in any page is kept, which also repairs the truncated histories search can return.
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

histories as (
    select
        _source_file,
        _record_number,
        _file_modified_at,
        _loaded_at,
        issue ->> 'key' as issue_key,
        issue ->> 'id' as issue_id,
        unnest(cast(issue -> 'changelog' -> 'histories' as json[])) as history
    from issues
),

items as (
    select
        issue_key,
        issue_id,
        history ->> 'id' as changelog_history_id,
        {{ utc_timestamp("history ->> 'created'") }} as changed_at,
        history -> 'author' ->> 'accountId' as author_account_id,
        unnest(cast(history -> 'items' as json[])) as item,
        _source_file,
        _record_number,
        _file_modified_at,
        _loaded_at
    from histories
),

status_items as (
    select
        issue_key,
        issue_id,
        changelog_history_id,
        changed_at,
        _source_file,
        _record_number,
        _file_modified_at,
        _loaded_at,
        nullif(author_account_id, '') as author_account_id,
        item ->> 'from' as from_status_id,
        item ->> 'fromString' as from_status_name,
        item ->> 'to' as to_status_id,
        item ->> 'toString' as to_status_name
    from items
    where coalesce(item ->> 'fieldId', lower(item ->> 'field')) = 'status'
),

newest_delivery as (
    select *
    from status_items
    {{ newest_delivery(['issue_key', 'changelog_history_id', 'from_status_id', 'to_status_id']) }}
),

final as (
    select
        {{ surrogate_key(['issue_key', 'changelog_history_id', 'from_status_id', 'to_status_id']) }}
            as issue_status_change_id,
        issue_key,
        issue_id,
        changelog_history_id,
        changed_at,
        author_account_id,
        from_status_id,
        from_status_name,
        to_status_id,
        to_status_name,
        _source_file,
        _file_modified_at,
        _loaded_at
    from newest_delivery
)

select * from final
