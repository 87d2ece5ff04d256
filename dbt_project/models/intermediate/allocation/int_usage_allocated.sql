-- One row per usage row × target (a pull request, or the explicit unattributed remainder) ×
-- method. Every usage row of int_ai_usage_daily is split completely:
--   1. explicit     share f = min(1, evidence tokens / row tokens) over the PRs the evidence
--                   names (int_usage_explicit_links), in proportion to their evidence tokens;
--                   commit evidence (Cursor) takes the whole row, split by its weights;
--   2. time_window  the rest, over the PRs the person authored that were open that day
--                   (first commit ≤ day ≤ merge/close), weighted by the person's commits to
--                   each that day; if they made no commits that day, split evenly;
--   3. unattributed whatever is left (no person, or no open PR that day).
-- Shares are rounded to 12 decimals as soon as they are computed, so the float noise of
-- parallel sums cannot change which pieces exist or how they round: reruns are identical.
-- Amounts are split with cumulative shares — piece i gets round(x·Sᵢ) − round(x·Sᵢ₋₁) and the
-- last Sₙ is exactly 1 — so each row's pieces add up to the row exactly, in tokens and cents.
with

usage_rows as (
    select * from {{ ref('int_ai_usage_daily') }}
),

explicit_links as (
    select * from {{ ref('int_usage_explicit_links') }}
),

authorship as (
    select * from {{ ref('int_pull_request_authorship') }}
),

commit_days as (
    select * from {{ ref('int_pull_request_commit_days') }}
),

explicit_evidence as (
    select
        usage_rows.ai_usage_id,
        usage_rows.total_tokens,
        explicit_links.pull_request_id,
        explicit_links.evidence,
        explicit_links.evidence_tokens,
        explicit_links.evidence_weight,
        sum(explicit_links.evidence_tokens) over (partition by usage_rows.ai_usage_id) as all_evidence_tokens,
        sum(explicit_links.evidence_weight) over (partition by usage_rows.ai_usage_id) as all_evidence_weight
    from usage_rows
    inner join explicit_links
        on
            usage_rows.person_id = explicit_links.person_id
            and usage_rows.usage_date = explicit_links.usage_date
            and usage_rows.provider = explicit_links.provider
            and (explicit_links.model is null or usage_rows.model = explicit_links.model)
            and explicit_links.usage_channel = case
                when usage_rows.usage_source in (
                    'anthropic_usage_report', 'anthropic_analytics', 'claude_code_analytics',
                    'claude_code_transcripts'
                ) then 'claude_code'
                when usage_rows.usage_source = 'cursor_usage_events' then 'cursor'
                when usage_rows.usage_source = 'litellm_spend_logs' then 'gateway'
            end
    -- Token evidence needs tokens on both sides; weighted (commit) evidence claims the row.
    where
        (explicit_links.evidence_tokens > 0 and usage_rows.total_tokens > 0)
        or explicit_links.evidence_weight > 0
),

explicit_shares as (
    -- One PR named by two kinds of evidence keeps one name, the first alphabetically (every
    -- name but the *_ticket ones is high confidence, and those sort last in their family).
    -- Token evidence claims at most the row's tokens; commit evidence claims the whole row.
    select
        ai_usage_id,
        pull_request_id,
        'explicit' as method,
        min(evidence) as evidence,
        cast(
            sum(
                case
                    when evidence_tokens is not null
                        then least(1.0, all_evidence_tokens / total_tokens) * evidence_tokens / all_evidence_tokens
                    else evidence_weight / all_evidence_weight
                end
            ) as decimal(20, 12)
        ) as target_share
    from explicit_evidence
    group by ai_usage_id, pull_request_id
),

explicit_totals as (
    select
        ai_usage_id,
        sum(target_share) as explicit_share
    from explicit_shares
    group by ai_usage_id
),

open_pull_requests as (
    select
        usage_rows.ai_usage_id,
        authorship.pull_request_id,
        coalesce(commit_days.commit_count, 0) as commit_count
    from usage_rows
    inner join authorship
        on
            usage_rows.person_id = authorship.author_person_id
            and usage_rows.usage_date >= authorship.open_from_date
            and (authorship.open_until_date is null or usage_rows.usage_date <= authorship.open_until_date)
    left join commit_days
        on
            authorship.pull_request_id = commit_days.pull_request_id
            and usage_rows.person_id = commit_days.person_id
            and usage_rows.usage_date = commit_days.commit_date
),

window_weights as (
    select
        ai_usage_id,
        pull_request_id,
        case
            when sum(commit_count) over (partition by ai_usage_id) > 0
                then cast(commit_count as double) / sum(commit_count) over (partition by ai_usage_id)
            else 1.0 / count(*) over (partition by ai_usage_id)
        end as weight
    from open_pull_requests
),

window_shares as (
    select
        window_weights.ai_usage_id,
        window_weights.pull_request_id,
        'time_window' as method,
        'authored_open_pull_request' as evidence,
        cast(
            (1 - coalesce(explicit_totals.explicit_share, 0)) * window_weights.weight as decimal(20, 12)
        ) as target_share
    from window_weights
    left join explicit_totals on window_weights.ai_usage_id = explicit_totals.ai_usage_id
    where window_weights.weight > 0
),

attributed as (
    select * from explicit_shares
    union all
    select * from window_shares
),

remainders as (
    select
        usage_rows.ai_usage_id,
        cast(null as varchar) as pull_request_id,
        'unattributed' as method,
        case when usage_rows.person_id is null then 'no_person' else 'no_open_pull_request' end
            as evidence,
        1 - coalesce(sum(attributed.target_share), 0) as target_share
    from usage_rows
    left join attributed on usage_rows.ai_usage_id = attributed.ai_usage_id
    group by usage_rows.ai_usage_id, usage_rows.person_id
),

targets as (
    select * from attributed
    where target_share > 0
    union all
    -- Rounding the shares leaves at most a few 1e-12 unclaimed; that is not a remainder
    -- (the last piece absorbs it), a real remainder is at least a billionth of the row.
    select * from remainders
    where target_share > 0.000000001
),

cumulative as (
    select
        targets.*,
        row_number() over (
            partition by targets.ai_usage_id order by targets.method, targets.pull_request_id
        ) as piece_number,
        count(*) over (partition by targets.ai_usage_id) as piece_count,
        sum(targets.target_share) over (
            partition by targets.ai_usage_id order by targets.method, targets.pull_request_id
            rows between unbounded preceding and current row
        ) as cumulative_share
    from targets
),

bounded as (
    select
        *,
        cast(case when piece_number = piece_count then 1 else least(cumulative_share, 1) end as decimal(20, 18))
            as upper_share,
        -- least() skips nulls on some engines, so the first piece's missing lag becomes 0 first.
        cast(
            least(
                coalesce(lag(cumulative_share) over (partition by ai_usage_id order by piece_number), 0),
                1
            ) as decimal(20, 18)
        ) as lower_share
    from cumulative
),

pieces as (
    select
        bounded.ai_usage_id,
        bounded.pull_request_id,
        bounded.method,
        bounded.evidence,
        bounded.upper_share - bounded.lower_share as allocation_share,
        usage_rows.person_id,
        usage_rows.usage_date,
        {% for column in ['uncached_input_tokens', 'cache_read_tokens', 'cache_write_tokens', 'output_tokens'] %}
            cast(
                round(usage_rows.{{ column }} * bounded.upper_share)
                - round(usage_rows.{{ column }} * bounded.lower_share) as bigint
            )
                as {{ column }},
        {% endfor %}
        cast(usage_rows.cost_usd * bounded.upper_share as decimal(38, 10))
        - cast(usage_rows.cost_usd * bounded.lower_share as decimal(38, 10)) as cost_usd,
        cast(usage_rows.list_cost_usd * bounded.upper_share as decimal(38, 10))
        - cast(usage_rows.list_cost_usd * bounded.lower_share as decimal(38, 10)) as list_cost_usd
    from bounded
    inner join usage_rows on bounded.ai_usage_id = usage_rows.ai_usage_id
),

final as (
    select
        {{ surrogate_key(['ai_usage_id', 'method', 'pull_request_id']) }} as usage_allocation_id,
        ai_usage_id,
        pull_request_id,
        person_id,
        usage_date,
        method,
        evidence,
        case
            when evidence in (
                'transcript_branch', 'cursor_commit', 'request_tag_commit', 'request_tag_pr', 'request_tag_branch'
            ) then 'high'
            when method = 'explicit' then 'medium'
            when method = 'time_window' then 'low'
            else 'none'
        end as confidence,
        allocation_share,
        uncached_input_tokens,
        cache_read_tokens,
        cache_write_tokens,
        output_tokens,
        uncached_input_tokens + cache_read_tokens + cache_write_tokens + output_tokens as total_tokens,
        cost_usd,
        list_cost_usd
    from pieces
)

select * from final
