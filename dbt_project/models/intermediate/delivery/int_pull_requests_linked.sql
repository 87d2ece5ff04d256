-- One row per pull request, with its author resolved to a person, its lifecycle timestamps,
-- its tickets and its revert status. AI evidence, rework and escaped defects are joined in
-- fct_pull_requests, so models that allocate usage to PRs can build on this one without a cycle.
with

pull_requests as (
    select * from {{ ref('stg_github__pull_requests') }}
),

commits as (
    select * from {{ ref('stg_github__pull_request_commits') }}
),

reviews as (
    select * from {{ ref('stg_github__pull_request_reviews') }}
),

identities as (
    select * from {{ ref('int_identities_resolved') }}
),

agent_accounts as (
    select * from {{ ref('github_agent_accounts') }}
),

tickets as (
    select * from {{ ref('int_pull_request_tickets_linked') }}
),

reverts as (
    select * from {{ ref('int_pull_request_reverts_detected') }}
),

commit_activity as (
    select
        pull_request_id,
        min(authored_at) as first_commit_at,
        max(committed_at) as last_commit_at,
        count(*) as commit_count
    from commits
    group by pull_request_id
),

-- First submitted review by someone other than the author. Bot reviewers (type Bot or a
-- `[bot]` login, e.g. Copilot code review, which answers within seconds) do not count as the
-- PR being picked up.
first_reviews as (
    select
        reviews.pull_request_id,
        min(reviews.submitted_at) as first_review_at
    from reviews
    inner join pull_requests on reviews.pull_request_id = pull_requests.pull_request_id
    where
        not reviews.is_pending
        and coalesce(reviews.reviewer_type, 'User') != 'Bot'
        and coalesce(reviews.reviewer_login, '') not like '%[bot]'
        and lower(reviews.reviewer_login) is distinct from lower(pull_requests.author_login)
    group by reviews.pull_request_id
),

-- Fallback for authors whose login is not in identities.csv: the email on the commits they
-- authored in the PR, when it resolves to exactly one person.
author_by_commit_email as (
    select
        pull_requests.pull_request_id,
        any_value(identities.person_id) as person_id
    from pull_requests
    inner join commits
        on
            pull_requests.pull_request_id = commits.pull_request_id
            and lower(pull_requests.author_login) = lower(commits.author_login)
    inner join identities
        on
            identities.account_system = 'email'
            and commits.author_email = identities.external_id
    group by pull_requests.pull_request_id
    having count(distinct identities.person_id) = 1
),

ticket_summary as (
    select
        pull_request_id,
        {{ dbt.listagg('ticket_key', "','", 'order by ticket_key') }} as linked_ticket_keys,
        count(*) as linked_ticket_count,
        max(case when is_primary_ticket then ticket_key end) as primary_ticket_key
    from tickets
    group by pull_request_id
),

reverted as (
    select
        reverted_pull_request_id as pull_request_id,
        arg_min(reverting_pull_request_id, revert_merged_at) as reverted_by_pull_request_id,
        min(revert_merged_at) as reverted_at
    from reverts
    where is_revert_merged and reverted_pull_request_id is not null
    group by reverted_pull_request_id
),

reverting as (
    select distinct reverting_pull_request_id as pull_request_id
    from reverts
),

final as (
    select
        pull_requests.pull_request_id,
        pull_requests.repository,
        pull_requests.pull_request_number,
        pull_requests.title,
        pull_requests.state,
        pull_requests.is_draft,
        pull_requests.head_ref,
        pull_requests.base_ref,
        pull_requests.merge_commit_sha,
        agent_accounts.agent_name,
        commit_activity.first_commit_at,
        commit_activity.last_commit_at,
        pull_requests.created_at as opened_at,
        first_reviews.first_review_at,
        pull_requests.merged_at,
        pull_requests.closed_at,
        pull_requests.is_merged,
        ticket_summary.linked_ticket_keys,
        ticket_summary.primary_ticket_key,
        reverted.reverted_by_pull_request_id,
        reverted.reverted_at,
        case
            when pull_requests.author_type = 'Bot' or pull_requests.author_login like '%[bot]'
                then pull_requests.author_login
        end as bot_author_login,
        coalesce(pull_requests.author_type = 'Bot' or pull_requests.author_login like '%[bot]', false)
            as is_bot_authored,
        coalesce(author_by_login.person_id, author_by_commit_email.person_id) as person_id,
        agent_accounts.login is not null as is_agent_authored,
        coalesce(commit_activity.commit_count, 0) as commit_count,
        pull_requests.state = 'closed' and not pull_requests.is_merged as is_closed_unmerged,
        coalesce(ticket_summary.linked_ticket_count, 0) as linked_ticket_count,
        reverting.pull_request_id is not null as is_revert,
        reverted.pull_request_id is not null as is_reverted
    from pull_requests
    left join identities as author_by_login
        on
            author_by_login.account_system = 'github'
            and lower(pull_requests.author_login) = author_by_login.external_id
    left join author_by_commit_email
        on pull_requests.pull_request_id = author_by_commit_email.pull_request_id
    left join agent_accounts on lower(pull_requests.author_login) = agent_accounts.login
    left join commit_activity on pull_requests.pull_request_id = commit_activity.pull_request_id
    left join first_reviews on pull_requests.pull_request_id = first_reviews.pull_request_id
    left join ticket_summary on pull_requests.pull_request_id = ticket_summary.pull_request_id
    left join reverted on pull_requests.pull_request_id = reverted.pull_request_id
    left join reverting on pull_requests.pull_request_id = reverting.pull_request_id
)

select * from final
