-- One row per commit x user from Cursor's AI Code Tracking API; the newest delivery wins.
-- `commitHash` is the explicit AI -> commit -> PR link; line counts split tab, composer and
-- non-AI lines.
with

source as (
    select * from {{ source('cursor', 'ai_code_commits') }}
),

items as (
    select
        _source_file,
        _record_number,
        _file_modified_at,
        _loaded_at,
        unnest(cast(payload -> 'items' as json[])) as item
    from source
),

renamed as (
    select
        lower(item ->> 'commitHash') as commit_sha,
        lower(item ->> 'userEmail') as user_email,
        item ->> 'userId' as cursor_user_id,
        item ->> 'repoName' as repository,
        item ->> 'branchName' as branch_name,
        cast(item ->> 'isPrimaryBranch' as boolean) as is_primary_branch,
        cast(item ->> 'totalLinesAdded' as bigint) as total_lines_added,
        cast(item ->> 'totalLinesDeleted' as bigint) as total_lines_deleted,
        cast(item ->> 'tabLinesAdded' as bigint) as tab_lines_added,
        cast(item ->> 'tabLinesDeleted' as bigint) as tab_lines_deleted,
        cast(item ->> 'composerLinesAdded' as bigint) as composer_lines_added,
        cast(item ->> 'composerLinesDeleted' as bigint) as composer_lines_deleted,
        cast(item ->> 'nonAiLinesAdded' as bigint) as non_ai_lines_added,
        cast(item ->> 'nonAiLinesDeleted' as bigint) as non_ai_lines_deleted,
        item ->> 'message' as commit_message,
        {{ utc_timestamp("item ->> 'commitTs'") }} as committed_at,
        {{ utc_timestamp("item ->> 'createdAt'") }} as created_at,
        _source_file,
        _record_number,
        _file_modified_at,
        _loaded_at
    from items
),

newest_delivery as (
    select *
    from renamed
    {{ newest_delivery(['commit_sha', 'user_email']) }}
),

final as (
    select
        {{ surrogate_key(['commit_sha', 'user_email']) }} as ai_code_commit_id,
        commit_sha,
        user_email,
        cursor_user_id,
        repository,
        branch_name,
        is_primary_branch,
        total_lines_added,
        total_lines_deleted,
        tab_lines_added,
        tab_lines_deleted,
        composer_lines_added,
        composer_lines_deleted,
        non_ai_lines_added,
        non_ai_lines_deleted,
        tab_lines_added + composer_lines_added as ai_lines_added,
        tab_lines_deleted + composer_lines_deleted as ai_lines_deleted,
        commit_message,
        committed_at,
        cast(committed_at as date) as commit_date,
        created_at,
        _source_file,
        _file_modified_at,
        _loaded_at
    from newest_delivery
)

select * from final
