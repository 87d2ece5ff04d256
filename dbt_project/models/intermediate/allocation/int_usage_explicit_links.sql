-- One row per person × day × channel × provider × model × pull request × evidence: explicit
-- evidence that the person's AI work that day went to that PR. The channel says which usage
-- rows the evidence may claim: claude_code (transcripts: the Anthropic API and Claude Code
-- rows), cursor (Cursor events) or gateway (LiteLLM requests). Token evidence says how many of the day's
-- tokens it covers (evidence_tokens); commit evidence covers the provider-day whole and only
-- weighs the PRs against each other (evidence_weight, model null = any model).
-- Evidence (most specific first):
--   transcript_branch      a Claude Code transcript's gitBranch equals the PR's head ref;
--   transcript_ticket_key  otherwise, the branch names a ticket key that a PR is linked to;
--   cursor_commit          a Cursor AI-code commit (commitHash) is one of the PR's commits,
--                          weighted by its AI lines added (tab + composer);
--   request_tag_pr / _branch / _commit / _ticket
--                          a gateway (LiteLLM) request tagged `pr:42` (with `repo:o/r`),
--                          `branch:…` (= head ref), `commit:<sha>` (a PR commit) or
--                          `ticket:KEY` (a ticket the PR is linked to); its tokens are evidence.
-- When several PRs match one branch (same name in two repos), the person's own PRs are
-- preferred and the tokens are split evenly between the candidates.
with

responses as (
    select * from {{ ref('stg_claude_code_transcripts__api_responses') }}
),

identities as (
    select * from {{ ref('int_identities_resolved') }}
),

authorship as (
    select * from {{ ref('int_pull_request_authorship') }}
),

ticket_links as (
    select * from {{ ref('int_pull_request_tickets_linked') }}
),

cursor_commits as (
    select * from {{ ref('stg_cursor__ai_code_commits') }}
),

pull_request_commits as (
    select * from {{ ref('stg_github__pull_request_commits') }}
),

gateway_requests as (
    select * from {{ ref('int_gateway_requests_resolved') }}
),

branch_tokens as (
    select
        identities.person_id,
        responses.usage_date,
        responses.model,
        responses.git_branch,
        upper(regexp_extract(responses.git_branch, '([A-Za-z][A-Za-z0-9]+-[0-9]+)', 1)) as ticket_key,
        sum(
            responses.uncached_input_tokens + responses.cache_read_tokens
            + responses.cache_write_tokens + responses.output_tokens
        ) as evidence_tokens
    from responses
    inner join identities
        on identities.account_system = 'email' and responses.person_email = identities.external_id
    where responses.git_branch is not null and responses.git_branch != ''
    group by identities.person_id, responses.usage_date, responses.model, responses.git_branch
),

by_branch as (
    select
        branch_tokens.person_id,
        branch_tokens.usage_date,
        branch_tokens.model,
        branch_tokens.git_branch,
        branch_tokens.evidence_tokens,
        authorship.pull_request_id,
        'transcript_branch' as evidence,
        coalesce(authorship.author_person_id = branch_tokens.person_id, false) as is_own_pull_request
    from branch_tokens
    inner join authorship on branch_tokens.git_branch = authorship.head_ref
),

by_ticket as (
    select
        branch_tokens.person_id,
        branch_tokens.usage_date,
        branch_tokens.model,
        branch_tokens.git_branch,
        branch_tokens.evidence_tokens,
        ticket_links.pull_request_id,
        'transcript_ticket_key' as evidence,
        coalesce(authorship.author_person_id = branch_tokens.person_id, false) as is_own_pull_request
    from branch_tokens
    inner join ticket_links on branch_tokens.ticket_key = ticket_links.ticket_key
    inner join authorship on ticket_links.pull_request_id = authorship.pull_request_id
    where not exists (
        select 1 from by_branch
        where
            by_branch.person_id = branch_tokens.person_id
            and by_branch.usage_date = branch_tokens.usage_date
            and by_branch.model = branch_tokens.model
            and by_branch.git_branch = branch_tokens.git_branch
    )
),

candidates as (
    select * from by_branch
    union all
    select * from by_ticket
),

preferred as (
    -- Keep the person's own PRs when any candidate is theirs.
    select *
    from candidates
    qualify
        is_own_pull_request
        or not bool_or(is_own_pull_request) over (
            partition by person_id, usage_date, model, git_branch
        )
),

split as (
    select
        *,
        cast(evidence_tokens as double)
        / count(*) over (partition by person_id, usage_date, model, git_branch) as split_tokens
    from preferred
),

transcript_links as (
    select
        person_id,
        usage_date,
        'claude_code' as usage_channel,
        'anthropic' as provider,
        model,
        pull_request_id,
        evidence,
        sum(split_tokens) as evidence_tokens,
        cast(null as double) as evidence_weight
    from split
    group by person_id, usage_date, model, pull_request_id, evidence
),

-- Cursor reports short or full commit hashes; a PR commit matches when it starts with one.
cursor_links as (
    select
        identities.person_id,
        cursor_commits.commit_date as usage_date,
        'cursor' as usage_channel,
        'cursor' as provider,
        cast(null as varchar) as model,
        pull_request_commits.pull_request_id,
        'cursor_commit' as evidence,
        cast(null as double) as evidence_tokens,
        cast(sum(greatest(cursor_commits.ai_lines_added, 1)) as double) as evidence_weight
    from cursor_commits
    inner join identities
        on identities.account_system = 'email' and cursor_commits.user_email = identities.external_id
    inner join pull_request_commits
        on starts_with(lower(pull_request_commits.commit_sha), cursor_commits.commit_sha)
    where length(cursor_commits.commit_sha) >= 7
    group by identities.person_id, cursor_commits.commit_date, pull_request_commits.pull_request_id
),

tagged_requests as (
    select
        request_id,
        person_id,
        usage_date,
        provider,
        model,
        pull_request_number,
        repository,
        branch_name,
        lower(commit_sha) as commit_sha,
        upper(ticket_key) as ticket_key,
        uncached_input_tokens + cache_read_tokens + cache_write_tokens + output_tokens as request_tokens
    from gateway_requests
),

-- Each tagged request names one kind of target, most specific first (commit, PR, branch,
-- ticket); one whose tag matches several PRs (a ticket with two PRs) splits its tokens evenly.
by_commit_tag as (
    select distinct
        tagged_requests.request_id,
        pull_request_commits.pull_request_id,
        'request_tag_commit' as evidence
    from tagged_requests
    inner join pull_request_commits
        on starts_with(lower(pull_request_commits.commit_sha), tagged_requests.commit_sha)
    where length(tagged_requests.commit_sha) >= 7
),

by_pull_request_tag as (
    select
        tagged_requests.request_id,
        authorship.pull_request_id,
        'request_tag_pr' as evidence
    from tagged_requests
    inner join authorship
        on
            tagged_requests.pull_request_number = authorship.pull_request_number
            -- Without a repo tag, `pr:42` means the person's own PR 42.
            and coalesce(
                tagged_requests.repository = authorship.repository,
                tagged_requests.person_id = authorship.author_person_id
            )
    where tagged_requests.request_id not in (select by_commit_tag.request_id from by_commit_tag)
),

by_branch_tag as (
    select
        tagged_requests.request_id,
        authorship.pull_request_id,
        'request_tag_branch' as evidence
    from tagged_requests
    inner join authorship on tagged_requests.branch_name = authorship.head_ref
    where
        tagged_requests.request_id not in (select by_commit_tag.request_id from by_commit_tag)
        and tagged_requests.request_id not in (select by_pull_request_tag.request_id from by_pull_request_tag)
),

by_ticket_tag as (
    select
        tagged_requests.request_id,
        ticket_links.pull_request_id,
        'request_tag_ticket' as evidence
    from tagged_requests
    inner join ticket_links on tagged_requests.ticket_key = ticket_links.ticket_key
    where
        tagged_requests.request_id not in (select by_commit_tag.request_id from by_commit_tag)
        and tagged_requests.request_id not in (select by_pull_request_tag.request_id from by_pull_request_tag)
        and tagged_requests.request_id not in (select by_branch_tag.request_id from by_branch_tag)
),

tag_matches as (
    select * from by_commit_tag
    union all
    select * from by_pull_request_tag
    union all
    select * from by_branch_tag
    union all
    select * from by_ticket_tag
),

tag_splits as (
    select
        tagged_requests.person_id,
        tagged_requests.usage_date,
        tagged_requests.provider,
        tagged_requests.model,
        tag_matches.pull_request_id,
        tag_matches.evidence,
        cast(tagged_requests.request_tokens as double)
        / count(*) over (partition by tag_matches.request_id) as split_tokens
    from tag_matches
    inner join tagged_requests on tag_matches.request_id = tagged_requests.request_id
    where tagged_requests.person_id is not null
),

gateway_links as (
    select
        person_id,
        usage_date,
        'gateway' as usage_channel,
        provider,
        model,
        pull_request_id,
        evidence,
        sum(split_tokens) as evidence_tokens,
        cast(null as double) as evidence_weight
    from tag_splits
    where split_tokens > 0
    group by person_id, usage_date, provider, model, pull_request_id, evidence
),

final as (
    select * from transcript_links
    union all
    select * from cursor_links
    union all
    select * from gateway_links
)

select * from final
