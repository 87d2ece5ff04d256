"""Anthropic Admin API pages: usage report (messages), cost report, Claude Code analytics.

Shapes follow shared/reference/vendor_examples/ exactly. Money: the cost report carries cents as
a decimal string, Claude Code analytics integer cents. Both usage and cost pages hold 7 daily
buckets (the API's default `limit`); Claude Code analytics is fetched one day at a time, 20
records per page (its default `limit`).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.generate.engine import write_files
from orchestration.generate.text import list_sql

BUCKETS_PER_PAGE = 7
CLAUDE_CODE_PAGE_SIZE = 20
TERMINALS = ["vscode", "iTerm.app", "tmux", "ghostty", "cursor", "Apple_Terminal"]
# cost report token_type -> (usage column, price column, description suffix)
TOKEN_TYPES = [
    ("uncached_input_tokens", "uncached", "p_in", "Input Tokens"),
    ("output_tokens", "output", "p_out", "Output Tokens"),
    ("cache_read_input_tokens", "cache_read", "p_cr", "Cache Read Input Tokens"),
    ("cache_creation.ephemeral_5m_input_tokens", "cache_write", "p_cw", "5m Cache Write Tokens"),
]


def _page_token(expr: str) -> str:
    """Opaque next_page cursor, shaped like the API's (`page_` + base64)."""
    return f"'page_' || to_base64(encode({expr}))"


def _paged(bucket_sql: str, folder: str) -> str:
    """Wrap per-day bucket JSON (columns d, day_idx, bucket) into pages of 7 buckets."""
    return f"""
        with buckets as ({bucket_sql}),
        pages as (
            select day_idx // {BUCKETS_PER_PAGE} as page,
                   to_json(list(bucket order by d)) as data, min(d) as first_day
            from buckets group by 1
        ), linked as (
            select *, lead(first_day) over (order by page) as next_day from pages
        )
        select '{folder}/page_' || lpad((page + 1)::varchar, 3, '0') || '.json',
               json_object('data', data, 'has_more', next_day is not null,
                           'next_page', case when next_day is not null
                               then {_page_token("iso(next_day::timestamp)")} end)::varchar
        from linked order by page
    """


def write_usage_report(con: duckdb.DuckDBPyConnection, out_dir: Path) -> int:
    # group_by=[api_key_id, model]: every other dimension comes back null.
    buckets = """
        select d.d, d.day_idx,
               json_object('ending_at', iso(d.d + interval 1 day), 'results',
                   coalesce(to_json(list(json_object(
                       'account_id', null, 'api_key_id', a.key_id,
                       'cache_creation', json_object('ephemeral_1h_input_tokens', 0,
                                                     'ephemeral_5m_input_tokens', a.cache_write),
                       'cache_read_input_tokens', a.cache_read, 'context_window', null,
                       'inference_geo', null, 'model', a.model, 'output_tokens', a.output,
                       'server_tool_use', json_object('web_search_requests', 0),
                       'service_account_id', null, 'service_tier', null,
                       'uncached_input_tokens', a.uncached, 'workspace_id', null)
                     order by a.key_id, a.model) filter (where a.key_id is not null)), '[]'),
                   'starting_at', iso(d.d::timestamp)) as bucket
        from days d left join ant_usage a on a.d = d.d
        group by d.d, d.day_idx
    """
    return write_files(con, _paged(buckets, "anthropic/usage_report_messages"), out_dir)


def write_cost_report(con: duckdb.DuckDBPyConnection, out_dir: Path) -> int:
    """group_by=[description]: one row per model x token type; cost = tokens x list price."""
    long = " union all ".join(
        f"""select d, model, '{token_type}' as token_type, sum({column}) as tokens,
                   '{label}' as label, '{price}' as price_col
            from ant_usage group by all"""
        for token_type, column, price, label in TOKEN_TYPES
    )
    price_case = "case t.price_col " + " ".join(
        f"when '{price}' then p.{price}" for _, _, price, _ in TOKEN_TYPES
    )
    buckets = f"""
        with tokens as ({long}),
        amounts as (
            select t.*, coalesce(n.display, t.model) || ' Usage - ' || t.label as description,
                   t.tokens::decimal(38, 0) * ({price_case} end) * 0.0001 as cents
            from tokens t
            join day_prices p on p.d = t.d and p.provider = 'anthropic' and p.model = t.model
            left join model_names n on n.model = t.model
            where t.tokens > 0
        )
        select d.d, d.day_idx,
               json_object('ending_at', iso(d.d + interval 1 day), 'results',
                   coalesce(to_json(list(json_object(
                       'amount', dec_str(a.cents), 'context_window', '0-200k',
                       'cost_type', 'tokens', 'currency', 'USD',
                       'description', a.description, 'inference_geo', 'global',
                       'model', a.model, 'service_tier', 'standard',
                       'token_type', a.token_type, 'workspace_id', null)
                     order by a.model, a.token_type) filter (where a.model is not null)), '[]'),
                   'starting_at', iso(d.d::timestamp)) as bucket
        from days d left join amounts a on a.d = d.d
        group by d.d, d.day_idx
    """
    return write_files(con, _paged(buckets, "anthropic/cost_report"), out_dir)


def write_claude_code(con: duckdb.DuckDBPyConnection, out_dir: Path) -> int:
    """One record per Claude Code user per active day (API and subscription customers)."""
    terminals = list_sql(TERMINALS)
    query = f"""
        with breakdown as (
            select c.person_id, c.d,
                   to_json(list(json_object(
                       'estimated_cost', json_object('amount', round(
                           (c.input * p.p_in + c.output * p.p_out + c.cache_read * p.p_cr
                            + c.cache_creation * p.p_cw) / 10000)::bigint, 'currency', 'USD'),
                       'model', c.model,
                       'tokens', json_object('cache_creation', c.cache_creation,
                                             'cache_read', c.cache_read, 'input', c.input,
                                             'output', c.output))
                     order by c.model)) as model_breakdown,
                   sum(c.output) as output
            from cc_daily c
            join day_prices p on p.d = c.d and p.provider = 'anthropic' and p.model = c.model
            group by c.person_id, c.d
        ), activity as (
            select person_id, d, count(distinct session_no) as sessions,
                   count(*) filter (where not is_sub) as requests
            from cc_requests group by all
        ), cc_commits as (
            select author_pid as person_id, ts::date as d, count(*) as n
            from commits where variant < 5 group by all
        ), cc_prs as (
            select p.author_pid as person_id, p.created_at::date as d, count(*) as n
            from prs p join pr_markers m using (pr_key) where m.variant < 5 group by all
        ), records as (
            select b.d, pe.email,
                   json_object(
                       'actor', json_object('email_address', pe.email, 'type', 'user_actor'),
                       'core_metrics', json_object(
                           'commits_by_claude_code', coalesce(cm.n, 0),
                           'lines_of_code', json_object(
                               'added', (b.output // 40)::bigint,
                               'removed', (b.output // 110)::bigint),
                           'num_sessions', a.sessions,
                           'pull_requests_by_claude_code', coalesce(cp.n, 0)),
                       'customer_type', pe.cc_customer,
                       'date', iso(b.d::timestamp),
                       'is_remote', u('remote', b.person_id, b.d) < 0.1,
                       'model_breakdown', b.model_breakdown,
                       'organization_id', uuid_of('organization'),
                       'terminal_type', {terminals}[pick('terminal', b.person_id, 0, 6) + 1],
                       'tool_actions', json_object(
                           'edit_tool', json_object('accepted', a.requests // 3,
                               'rejected', a.requests // 25),
                           'multi_edit_tool', json_object('accepted', a.requests // 8,
                               'rejected', a.requests // 60),
                           'notebook_edit_tool', json_object('accepted', 0, 'rejected', 0),
                           'write_tool', json_object('accepted', a.requests // 10,
                               'rejected', a.requests // 80)),
                       'subscription_type', case pe.cc_customer when 'subscription'
                           then pe.sub_plan else 'enterprise' end) as record
            from breakdown b
            join people pe using (person_id)
            join activity a using (person_id, d)
            left join cc_commits cm using (person_id, d)
            left join cc_prs cp using (person_id, d)
        ), paged as (
            select dd.d, r.record, r.email,
                   coalesce((row_number() over (partition by dd.d order by r.email) - 1)
                            // {CLAUDE_CODE_PAGE_SIZE}, 0) as page
            from days dd left join records r on r.d = dd.d
        ), pages as (
            select d, page, coalesce(to_json(list(record order by email)
                                             filter (where record is not null)), '[]') as data,
                   count(record) as n
            from paged group by d, page
        )
        select 'anthropic/claude_code/' || strftime(d, '%Y-%m-%d') || '_page_'
                   || lpad((page + 1)::varchar, 3, '0') || '.json',
               json_object('data', data,
                   'has_more', page < max(page) over (partition by d),
                   'next_page', case when page < max(page) over (partition by d) then
                       {
        _page_token(
            "strftime(d, '%Y-%m-%d') || ':' || ((page + 1) * "
            + str(CLAUDE_CODE_PAGE_SIZE)
            + ")::varchar"
        )
    } end)::varchar
        from pages order by d, page
    """
    return write_files(con, query, out_dir)
