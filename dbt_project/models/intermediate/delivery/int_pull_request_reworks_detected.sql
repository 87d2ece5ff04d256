-- One row per merged pull request × later change that reworked it within
-- var('rework_window_days') after its merge (DESIGN: rework):
--   reverted  a merged revert PR reverted it, the revert merging within the window;
--   bug_fix   a later merged PR linked to a Jira bug changed one of the same files (by path,
--             or by the path it was renamed from), opened within the window after the merge.
with

pull_requests as (
    select * from {{ ref('int_pull_requests_linked') }}
),

reverts as (
    select * from {{ ref('int_pull_request_reverts_detected') }}
),

tickets as (
    select * from {{ ref('int_pull_request_tickets_linked') }}
),

files as (
    select * from {{ ref('stg_github__pull_request_files') }}
),

merged as (
    select * from pull_requests
    where is_merged
),

reverted as (
    select
        merged.pull_request_id,
        reverts.reverting_pull_request_id as reworking_pull_request_id,
        'reverted' as rework_reason,
        reverts.revert_merged_at as reworked_at
    from merged
    inner join reverts on merged.pull_request_id = reverts.reverted_pull_request_id
    where
        reverts.is_revert_merged
        and reverts.revert_merged_at >= merged.merged_at
        and reverts.revert_merged_at
        <= {{ dbt.dateadd('day', var('rework_window_days'), 'merged.merged_at') }}
),

bug_fix_pull_requests as (
    select distinct
        merged.pull_request_id,
        merged.opened_at
    from merged
    inner join tickets on merged.pull_request_id = tickets.pull_request_id
    where tickets.is_bug_ticket
),

bug_fix_paths as (
    select
        files.pull_request_id,
        files.file_path
    from files
    inner join bug_fix_pull_requests on files.pull_request_id = bug_fix_pull_requests.pull_request_id
    union
    select
        files.pull_request_id,
        files.previous_file_path as file_path
    from files
    inner join bug_fix_pull_requests on files.pull_request_id = bug_fix_pull_requests.pull_request_id
    where files.previous_file_path is not null
),

bug_fixed as (
    select distinct
        merged.pull_request_id,
        bug_fix_pull_requests.pull_request_id as reworking_pull_request_id,
        'bug_fix' as rework_reason,
        bug_fix_pull_requests.opened_at as reworked_at
    from merged
    inner join files as original_files on merged.pull_request_id = original_files.pull_request_id
    inner join bug_fix_paths on original_files.file_path = bug_fix_paths.file_path
    inner join bug_fix_pull_requests
        on bug_fix_paths.pull_request_id = bug_fix_pull_requests.pull_request_id
    where
        bug_fix_pull_requests.pull_request_id != merged.pull_request_id
        and bug_fix_pull_requests.opened_at > merged.merged_at
        and bug_fix_pull_requests.opened_at
        <= {{ dbt.dateadd('day', var('rework_window_days'), 'merged.merged_at') }}
),

unioned as (
    select * from reverted
    union all
    select * from bug_fixed
),

final as (
    select
        {{ surrogate_key(['pull_request_id', 'reworking_pull_request_id', 'rework_reason']) }}
            as pull_request_rework_id,
        pull_request_id,
        reworking_pull_request_id,
        rework_reason,
        reworked_at
    from unioned
)

select * from final
