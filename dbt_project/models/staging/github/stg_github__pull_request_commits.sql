-- One row per pull request × commit sha, from the PR commits pages; the newest delivery wins.
-- Owner, repo and PR number come from the file path (`github/<owner>/<repo>/pulls/<n>/commits/`).
with

source as (
    select * from {{ source('github', 'pull_commits') }}
),

renamed as (
    select
        {{ github_path_part(1) }} as repo_owner,
        {{ github_path_part(2) }} as repo_name,
        cast(
            {{ github_path_part(3) }} as integer
        ) as pull_request_number,
        payload ->> 'sha' as commit_sha,
        payload -> 'commit' ->> 'message' as message,
        lower(payload -> 'commit' -> 'author' ->> 'email') as author_email,
        payload -> 'author' ->> 'login' as author_login,
        payload -> 'author' ->> 'type' as author_type,
        lower(payload -> 'commit' -> 'committer' ->> 'email') as committer_email,
        payload -> 'committer' ->> 'login' as committer_login,
        {{ utc_timestamp("payload -> 'commit' -> 'author' ->> 'date'") }} as authored_at,
        {{ utc_timestamp("payload -> 'commit' -> 'committer' ->> 'date'") }} as committed_at,
        cast(coalesce(json_array_length(payload -> 'parents'), 0) as integer) as parent_count,
        _source_file,
        _record_number,
        _file_modified_at,
        _loaded_at
    from source
),

newest_delivery as (
    select *
    from renamed
    {{ newest_delivery(['repo_owner', 'repo_name', 'pull_request_number', 'commit_sha']) }}
),

final as (
    select
        {{ surrogate_key(['repo_owner', 'repo_name', 'pull_request_number', 'commit_sha']) }}
            as pull_request_commit_id,
        {{ surrogate_key(['repo_owner', 'repo_name', 'pull_request_number']) }} as pull_request_id,
        repo_owner || '/' || repo_name as repository,
        pull_request_number,
        commit_sha,
        message,
        author_email,
        author_login,
        author_type,
        committer_email,
        committer_login,
        authored_at,
        committed_at,
        parent_count,
        parent_count > 1 as is_merge_commit,
        _source_file,
        _file_modified_at,
        _loaded_at
    from newest_delivery
)

select * from final
