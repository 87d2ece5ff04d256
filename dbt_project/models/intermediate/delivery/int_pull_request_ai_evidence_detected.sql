-- One row per pull request × kind of AI evidence × AI tool. Absence proves nothing (tools let
-- users blank their attribution), so this only ever adds evidence. Kinds, all high confidence:
--   agent_author         the PR was opened by an AI agent account (seed github_agent_accounts)
--   agent_commit_author  a PR commit was authored by an AI agent account
--   commit_trailer       an AI co-author trailer in a commit (`Co-Authored-By: Claude …
--                        <noreply@anthropic.com>`, `Made-with: Cursor`, …)
--   commit_marker        the `Generated with Claude Code` line in a commit message
--   pr_body_marker       the same line in the PR description (Claude Code's PR attribution)
--   cursor_ai_code_commit a PR commit is in Cursor's AI Code Tracking with AI lines added
-- and, from attribution (fct_usage_allocation's intermediate), when at least
-- var('ai_assisted_min_cost_usd') of AI spend was attributed to the PR:
--   explicit_ai_spend    by explicit evidence (transcript branch/ticket key): high confidence
--   time_window_ai_spend by the time window only: low confidence
with

pull_requests as (
    select * from {{ ref('stg_github__pull_requests') }}
),

commits as (
    select * from {{ ref('stg_github__pull_request_commits') }}
),

agent_accounts as (
    select * from {{ ref('github_agent_accounts') }}
),

cursor_commits as (
    select * from {{ ref('stg_cursor__ai_code_commits') }}
),

allocations as (
    select * from {{ ref('int_usage_allocated') }}
),

ai_usage as (
    select * from {{ ref('int_ai_usage_daily') }}
),

-- Case-insensitive, line-anchored patterns for commit messages (RE2 syntax).
message_patterns as (
    select
        patterns.evidence_kind,
        patterns.ai_tool,
        patterns.pattern
    from (
        values
        ('commit_trailer', 'claude_code', '(?im)^co-authored-by:\s*claude\b[^\n]*<noreply@anthropic\.com>'),
        ('commit_trailer', 'cursor', '(?im)^made-with:\s*cursor\b'),
        ('commit_trailer', 'cursor', '(?im)^co-authored-by:[^\n]*<cursoragent@cursor\.com>'),
        ('commit_trailer', 'github_copilot', '(?im)^co-authored-by:\s*copilot\b'),
        ('commit_trailer', 'aider', '(?im)^co-authored-by:[^\n]*<noreply@aider\.chat>'),
        ('commit_marker', 'claude_code', '(?im)generated with \[?claude code\b')
    ) as patterns (evidence_kind, ai_tool, pattern)
),

agent_author as (
    select
        pull_requests.pull_request_id,
        'agent_author' as evidence_kind,
        agent_accounts.ai_tool
    from pull_requests
    inner join agent_accounts on lower(pull_requests.author_login) = agent_accounts.login
),

agent_commit_author as (
    select distinct
        commits.pull_request_id,
        'agent_commit_author' as evidence_kind,
        agent_accounts.ai_tool
    from commits
    inner join agent_accounts on lower(commits.author_login) = agent_accounts.login
),

commit_messages as (
    select distinct
        commits.pull_request_id,
        message_patterns.evidence_kind,
        message_patterns.ai_tool
    from commits
    inner join message_patterns on regexp_matches(commits.message, message_patterns.pattern)
),

pr_body_marker as (
    select distinct
        pull_requests.pull_request_id,
        'pr_body_marker' as evidence_kind,
        'claude_code' as ai_tool
    from pull_requests
    where regexp_matches(pull_requests.body, '(?i)generated with \[?claude code\b')
),

cursor_ai_code_commit as (
    select distinct
        commits.pull_request_id,
        'cursor_ai_code_commit' as evidence_kind,
        'cursor' as ai_tool
    from commits
    inner join cursor_commits
        on starts_with(lower(commits.commit_sha), cursor_commits.commit_sha)
    where length(cursor_commits.commit_sha) >= 7 and cursor_commits.ai_lines_added > 0
),

attributed_spend as (
    select
        allocations.pull_request_id,
        case
            when allocations.method = 'explicit' then 'explicit_ai_spend' else 'time_window_ai_spend'
        end as evidence_kind,
        case when ai_usage.tool = 'api' then ai_usage.provider || '_api' else ai_usage.tool end as ai_tool
    from allocations
    inner join ai_usage on allocations.ai_usage_id = ai_usage.ai_usage_id
    where allocations.method in ('explicit', 'time_window')
    group by
        allocations.pull_request_id,
        allocations.method,
        case when ai_usage.tool = 'api' then ai_usage.provider || '_api' else ai_usage.tool end
    having sum(allocations.cost_usd) >= {{ var('ai_assisted_min_cost_usd') }}
),

unioned as (
    select * from agent_author
    union all
    select * from agent_commit_author
    union all
    select * from commit_messages
    union all
    select * from pr_body_marker
    union all
    select * from cursor_ai_code_commit
    union all
    select * from attributed_spend
    -- Extension point: further evidence models union in here with the same columns
    -- (pull_request_id, evidence_kind, ai_tool) and add their confidence in `final`, e.g.
    -- Cursor AI-code commits (commitHash = a PR commit) or attributed AI cost above a
    -- threshold (confidence 'medium'). Such a model must be built from int_pull_requests_linked,
    -- not from fct_pull_requests, or the DAG gets a cycle.
),

final as (
    select distinct
        {{ surrogate_key(['pull_request_id', 'evidence_kind', 'ai_tool']) }} as pull_request_ai_evidence_id,
        pull_request_id,
        evidence_kind,
        ai_tool,
        case
            when evidence_kind in (
                'agent_author', 'agent_commit_author', 'commit_trailer', 'commit_marker', 'pr_body_marker',
                'cursor_ai_code_commit'
            ) then 'high'
            when evidence_kind = 'explicit_ai_spend' then 'high'
            when evidence_kind = 'time_window_ai_spend' then 'low'
        end as evidence_confidence
    from unioned
)

select * from final
