-- One row per revert pull request × pull request it reverts. A PR is a revert when any of
-- GitHub's revert conventions appears; the reverted PR is found by, strongest first:
--   body_reference  `Reverts owner/repo#N` (or `Reverts #N`) in the body, as the revert button writes
--   commit_sha      `This reverts commit <sha>.` in a commit, matching the reverted PR's merge
--                   commit or one of its commits (abbreviated shas of 7+ characters match by prefix)
--   title           `Revert "<title>"`, matching the latest merged PR of the same repository with
--                   that exact title, merged before the revert was opened; used only when
--                   neither stronger signal found a PR.
-- Only merged PRs can be reverted. reverted_pull_request_id is null when the revert names a PR
-- that is not in the warehouse (one such row per revert that matched nothing).
with

pull_requests as (
    select * from {{ ref('stg_github__pull_requests') }}
),

commits as (
    select * from {{ ref('stg_github__pull_request_commits') }}
),

merged_pull_requests as (
    select * from pull_requests
    where is_merged
),

body_references as (
    select
        pull_request_id as reverting_pull_request_id,
        repository,
        unnest(regexp_extract_all(
            body, '(?i)\breverts\s+(?:[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)?#[0-9]+', 0
        )) as reference
    from pull_requests
),

body_reference_matches as (
    select
        body_references.reverting_pull_request_id,
        reverted.pull_request_id as reverted_pull_request_id,
        'body_reference' as detection_method,
        1 as detection_rank
    from body_references
    inner join merged_pull_requests as reverted
        on lower(coalesce(
            nullif(regexp_extract(body_references.reference, '([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)#', 1), ''),
            body_references.repository
        )) = lower(reverted.repository)
        and cast(regexp_extract(body_references.reference, '#([0-9]+)', 1) as integer)
        = reverted.pull_request_number
),

sha_references as (
    select distinct
        pull_request_id as reverting_pull_request_id,
        lower(unnest(regexp_extract_all(
            message, '(?i)this reverts commit ([0-9a-f]{7,40})', 1
        ))) as reverted_sha
    from commits
),

reverted_shas as (
    select
        pull_request_id,
        lower(merge_commit_sha) as commit_sha
    from merged_pull_requests
    where merge_commit_sha is not null
    union
    select
        commits.pull_request_id,
        lower(commits.commit_sha) as commit_sha
    from commits
    inner join merged_pull_requests on commits.pull_request_id = merged_pull_requests.pull_request_id
),

sha_matches as (
    select distinct
        sha_references.reverting_pull_request_id,
        reverted_shas.pull_request_id as reverted_pull_request_id,
        'commit_sha' as detection_method,
        2 as detection_rank
    from sha_references
    inner join reverted_shas
        on starts_with(reverted_shas.commit_sha, sha_references.reverted_sha)
),

title_references as (
    select
        pull_request_id as reverting_pull_request_id,
        repository,
        created_at,
        regexp_extract(title, '^Revert "(.*)"$', 1) as reverted_title
    from pull_requests
    where regexp_matches(title, '^Revert ".*"$')
),

title_matches as (
    select
        title_references.reverting_pull_request_id,
        reverted.pull_request_id as reverted_pull_request_id,
        'title' as detection_method,
        3 as detection_rank
    from title_references
    inner join merged_pull_requests as reverted
        on
            title_references.repository = reverted.repository
            and title_references.reverted_title = reverted.title
            and title_references.created_at > reverted.merged_at
    qualify row_number() over (
        partition by title_references.reverting_pull_request_id
        order by reverted.merged_at desc
    ) = 1
),

strong_matches as (
    select * from body_reference_matches
    union all
    select * from sha_matches
),

all_matches as (
    select * from strong_matches
    union all
    select * from title_matches
    where title_matches.reverting_pull_request_id not in (
        select strong_matches.reverting_pull_request_id from strong_matches
    )
),

best_method as (
    select
        reverting_pull_request_id,
        reverted_pull_request_id,
        arg_min(detection_method, detection_rank) as detection_method
    from all_matches
    where reverting_pull_request_id != reverted_pull_request_id
    group by reverting_pull_request_id, reverted_pull_request_id
),

revert_signals as (
    select reverting_pull_request_id from body_references
    union
    select reverting_pull_request_id from sha_references
    union
    select reverting_pull_request_id from title_references
),

unmatched as (
    select
        revert_signals.reverting_pull_request_id,
        cast(null as varchar) as reverted_pull_request_id,
        cast(null as varchar) as detection_method
    from revert_signals
    where revert_signals.reverting_pull_request_id not in (
        select best_method.reverting_pull_request_id from best_method
    )
),

pairs as (
    select * from best_method
    union all
    select * from unmatched
),

final as (
    select
        {{ surrogate_key(['pairs.reverting_pull_request_id', 'pairs.reverted_pull_request_id']) }}
            as pull_request_revert_id,
        pairs.reverting_pull_request_id,
        pairs.reverted_pull_request_id,
        pairs.detection_method,
        reverting.is_merged as is_revert_merged,
        reverting.merged_at as revert_merged_at,
        reverted.merged_at as reverted_merged_at
    from pairs
    inner join pull_requests as reverting
        on pairs.reverting_pull_request_id = reverting.pull_request_id
    left join pull_requests as reverted
        on pairs.reverted_pull_request_id = reverted.pull_request_id
)

select * from final
