-- One row per pull request with its human author resolved and the window in which it counts
-- as open for attribution: first commit day ≤ day ≤ merge/close day (open PRs: no end).
with

pull_requests as (
    select * from {{ ref('stg_github__pull_requests') }}
),

commits as (
    select * from {{ ref('stg_github__pull_request_commits') }}
),

identities as (
    select * from {{ ref('int_identities_resolved') }}
),

first_commits as (
    select
        pull_request_id,
        min(authored_at) as first_commit_at
    from commits
    group by pull_request_id
),

final as (
    select
        pull_requests.pull_request_id,
        pull_requests.repository,
        pull_requests.head_ref,
        authors.person_id as author_person_id,
        cast(coalesce(first_commits.first_commit_at, pull_requests.created_at) as date)
            as open_from_date,
        cast(coalesce(pull_requests.merged_at, pull_requests.closed_at) as date) as open_until_date
    from pull_requests
    left join first_commits on pull_requests.pull_request_id = first_commits.pull_request_id
    left join identities as authors
        on
            authors.account_system = 'github'
            and lower(pull_requests.author_login) = authors.external_id
)

select * from final
