-- One row per pull request × Jira ticket key it names. Keys (`[A-Z][A-Z0-9]+-\d+`) are read
-- from the head branch (upper-cased first, so `feature/abc-12-x` counts), the title, the body
-- and the PR's non-merge commit messages. Only keys of a project that exists in Jira count,
-- which drops look-alikes such as UTF-8 or SHA-256.
with

pull_requests as (
    select * from {{ ref('stg_github__pull_requests') }}
),

commits as (
    select * from {{ ref('stg_github__pull_request_commits') }}
),

issues as (
    select * from {{ ref('stg_jira__issues') }}
),

known_projects as (
    select distinct project_key
    from issues
    where project_key is not null
),

-- A key starts at the beginning of the text or after a character that is not a letter or digit.
mentions as (
    select
        pull_request_id,
        'head_ref' as link_source,
        1 as link_source_rank,
        unnest(regexp_extract_all(
            upper(head_ref), '(?:^|[^A-Za-z0-9])([A-Z][A-Z0-9]+-[0-9]+)', 1
        )) as ticket_key
    from pull_requests
    union all
    select
        pull_request_id,
        'title' as link_source,
        2 as link_source_rank,
        unnest(regexp_extract_all(
            title, '(?:^|[^A-Za-z0-9])([A-Z][A-Z0-9]+-[0-9]+)', 1
        )) as ticket_key
    from pull_requests
    union all
    select
        pull_request_id,
        'body' as link_source,
        3 as link_source_rank,
        unnest(regexp_extract_all(
            body, '(?:^|[^A-Za-z0-9])([A-Z][A-Z0-9]+-[0-9]+)', 1
        )) as ticket_key
    from pull_requests
    union all
    select
        pull_request_id,
        'commit_message' as link_source,
        4 as link_source_rank,
        unnest(regexp_extract_all(
            message, '(?:^|[^A-Za-z0-9])([A-Z][A-Z0-9]+-[0-9]+)', 1
        )) as ticket_key
    from commits
    where not is_merge_commit
),

known_mentions as (
    select
        mentions.pull_request_id,
        mentions.ticket_key,
        known_projects.project_key,
        mentions.link_source,
        mentions.link_source_rank
    from mentions
    inner join known_projects
        on {{ dbt.split_part('mentions.ticket_key', "'-'", 1) }} = known_projects.project_key
),

per_ticket as (
    select
        pull_request_id,
        ticket_key,
        project_key,
        min(link_source_rank) as best_link_source_rank,
        arg_min(link_source, link_source_rank) as link_source,
        {{ dbt.listagg('distinct link_source', "','", 'order by link_source') }} as link_sources
    from known_mentions
    group by pull_request_id, ticket_key, project_key
),

final as (
    select
        {{ surrogate_key(['per_ticket.pull_request_id', 'per_ticket.ticket_key']) }}
            as pull_request_ticket_id,
        per_ticket.pull_request_id,
        per_ticket.ticket_key,
        per_ticket.project_key,
        per_ticket.link_source,
        per_ticket.link_sources,
        -- The primary ticket: named in the most specific place (branch, then title, body,
        -- commits), ties broken by key.
        row_number() over (
            partition by per_ticket.pull_request_id
            order by per_ticket.best_link_source_rank, per_ticket.ticket_key
        ) = 1 as is_primary_ticket,
        issues.issue_key is not null as is_known_ticket,
        coalesce(issues.is_bug, false) as is_bug_ticket
    from per_ticket
    left join issues on per_ticket.ticket_key = issues.issue_key
)

select * from final
