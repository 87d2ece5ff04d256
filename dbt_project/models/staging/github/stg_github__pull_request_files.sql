-- One row per pull request × changed file path, from the PR files pages; the newest delivery wins.
with

source as (
    select * from {{ source('github', 'pull_files') }}
),

renamed as (
    select
        cast(
            {{ github_path_part(3) }} as integer
        ) as pull_request_number,
        cast(payload ->> 'additions' as integer) as additions,
        cast(payload ->> 'deletions' as integer) as deletions,
        cast(payload ->> 'changes' as integer) as changes,
        _source_file,
        _record_number,
        _file_modified_at,
        _loaded_at,
        {{ github_path_part(1) }} as repo_owner,
        {{ github_path_part(2) }} as repo_name,
        payload ->> 'filename' as file_path,
        payload ->> 'previous_filename' as previous_file_path,
        payload ->> 'status' as change_status
    from source
),

newest_delivery as (
    select *
    from renamed
    {{ newest_delivery(['repo_owner', 'repo_name', 'pull_request_number', 'file_path']) }}
),

final as (
    select
        {{ surrogate_key(['repo_owner', 'repo_name', 'pull_request_number', 'file_path']) }}
            as pull_request_file_id,
        {{ surrogate_key(['repo_owner', 'repo_name', 'pull_request_number']) }} as pull_request_id,
        repo_owner || '/' || repo_name as repository,
        pull_request_number,
        file_path,
        previous_file_path,
        change_status,
        additions,
        deletions,
        changes,
        _source_file,
        _file_modified_at,
        _loaded_at
    from newest_delivery
)

select * from final
