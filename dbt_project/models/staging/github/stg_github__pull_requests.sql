-- One row per pull request (repository × number). List pages and single-PR objects land in the
-- same raw table; the newest delivery of each PR wins. Merged means merged_at is set: closed
-- PRs that were never merged still carry a merge_commit_sha (test-merge commit).
with

source as (
    select * from {{ source('github', 'pulls') }}
),

renamed as (
    select
        regexp_extract(_source_file, '^github/([^/]+)/([^/]+)/pulls/', 1) as repo_owner,
        regexp_extract(_source_file, '^github/([^/]+)/([^/]+)/pulls/', 2) as repo_name,
        cast(payload ->> 'number' as integer) as pull_request_number,
        cast(payload ->> 'id' as bigint) as github_pull_request_id,
        lower(payload ->> 'state') as state,
        coalesce(cast(payload ->> 'draft' as boolean), false) as is_draft,
        payload ->> 'title' as title,
        payload ->> 'body' as body,
        payload -> 'user' ->> 'login' as author_login,
        payload -> 'user' ->> 'type' as author_type,
        payload ->> 'author_association' as author_association,
        payload -> 'head' ->> 'ref' as head_ref,
        payload -> 'head' ->> 'sha' as head_sha,
        payload -> 'head' -> 'repo' ->> 'full_name' as head_repository,
        payload -> 'base' ->> 'ref' as base_ref,
        payload -> 'base' ->> 'sha' as base_sha,
        payload ->> 'merge_commit_sha' as merge_commit_sha,
        array_to_string(payload ->> '$.labels[*].name', ',') as label_names,
        {{ utc_timestamp("payload ->> 'created_at'") }} as created_at,
        {{ utc_timestamp("payload ->> 'updated_at'") }} as updated_at,
        {{ utc_timestamp("payload ->> 'closed_at'") }} as closed_at,
        {{ utc_timestamp("payload ->> 'merged_at'") }} as merged_at,
        _source_file,
        _record_number,
        _file_modified_at,
        _loaded_at
    from source
),

newest_delivery as (
    select *
    from renamed
    qualify row_number() over (
        partition by repo_owner, repo_name, pull_request_number
        order by
            _file_modified_at desc,
            _loaded_at desc,
            updated_at desc nulls last,
            _source_file desc,
            _record_number desc
    ) = 1
),

final as (
    select
        {{ surrogate_key(['repo_owner', 'repo_name', 'pull_request_number']) }} as pull_request_id,
        repo_owner || '/' || repo_name as repository,
        repo_owner,
        repo_name,
        pull_request_number,
        github_pull_request_id,
        state,
        is_draft,
        title,
        body,
        author_login,
        author_type,
        author_association,
        head_ref,
        head_sha,
        head_repository,
        base_ref,
        base_sha,
        merge_commit_sha,
        label_names,
        created_at,
        updated_at,
        closed_at,
        merged_at,
        merged_at is not null as is_merged,
        _source_file,
        _file_modified_at,
        _loaded_at
    from newest_delivery
)

select * from final
