-- One row per pull request review (GitHub's review id), from the PR reviews pages; the newest
-- delivery wins. PENDING reviews (visible only to their author, no submitted_at) are kept and
-- flagged so timing logic can skip them.
with

source as (
    select * from {{ source('github', 'pull_reviews') }}
),

renamed as (
    select
        {{ github_path_part(1) }} as repo_owner,
        {{ github_path_part(2) }} as repo_name,
        cast(
            {{ github_path_part(3) }} as integer
        ) as pull_request_number,
        cast(payload ->> 'id' as bigint) as pull_request_review_id,
        payload -> 'user' ->> 'login' as reviewer_login,
        payload -> 'user' ->> 'type' as reviewer_type,
        -- The REST docs use upper case; webhooks use lower case.
        upper(payload ->> 'state') as review_state,
        {{ utc_timestamp("payload ->> 'submitted_at'") }} as submitted_at,
        payload ->> 'commit_id' as commit_sha,
        payload ->> 'author_association' as author_association,
        _source_file,
        _record_number,
        _file_modified_at,
        _loaded_at
    from source
),

newest_delivery as (
    select *
    from renamed
    {{ newest_delivery(['pull_request_review_id']) }}
),

final as (
    select
        pull_request_review_id,
        {{ surrogate_key(['repo_owner', 'repo_name', 'pull_request_number']) }} as pull_request_id,
        repo_owner || '/' || repo_name as repository,
        pull_request_number,
        reviewer_login,
        reviewer_type,
        review_state,
        submitted_at,
        review_state = 'PENDING' or submitted_at is null as is_pending,
        commit_sha,
        author_association,
        _source_file,
        _file_modified_at,
        _loaded_at
    from newest_delivery
)

select * from final
