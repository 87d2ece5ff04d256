-- One row per pull request × author day: how many commits the PR's author made to it that
-- day. The time-window method weights a person's day across their open PRs by these counts.
with

commits as (
    select * from {{ ref('stg_github__pull_request_commits') }}
),

authorship as (
    select * from {{ ref('int_pull_request_authorship') }}
),

identities as (
    select * from {{ ref('int_identities_resolved') }}
),

commit_authors as (
    select
        commits.pull_request_id,
        cast(commits.authored_at as date) as commit_date,
        coalesce(by_login.person_id, by_email.person_id) as person_id
    from commits
    left join identities as by_login
        on by_login.account_system = 'github' and lower(commits.author_login) = by_login.external_id
    left join identities as by_email
        on by_email.account_system = 'email' and commits.author_email = by_email.external_id
    where not commits.is_merge_commit
),

final as (
    select
        commit_authors.pull_request_id,
        commit_authors.person_id,
        commit_authors.commit_date,
        count(*) as commit_count
    from commit_authors
    inner join authorship
        on
            commit_authors.pull_request_id = authorship.pull_request_id
            and commit_authors.person_id = authorship.author_person_id
    group by commit_authors.pull_request_id, commit_authors.person_id, commit_authors.commit_date
)

select * from final
