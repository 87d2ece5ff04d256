"""Cursor Admin API: `filtered-usage-events` pages and AI Code Tracking `commits` pages.

Shapes follow vendor_examples/cursor_usage_events.json and cursor_ai_code_commits.json. Cursor
is a JavaScript API: usage-event `timestamp` is a string of epoch milliseconds, money is float
cents, and integral numbers have no ".0". Usage events are newest first over the whole period;
AI-code commits are newest first too. Both use 100 per page.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.generate.engine import rows, write_files

PAGE_SIZE = 100
PAGES_PER_QUERY = 500


def write_cursor(con: duckdb.DuckDBPyConnection, out_dir: Path) -> int:
    con.execute(
        """
        create or replace table cursor_event_order as
        select e.*, p.email,
               row_number() over (order by e.ts_ms desc, p.email) - 1 as rn
        from cursor_events e join people p using (person_id)
        """
    )
    written = _write_pages(con, out_dir, "cursor_event_order", _events_query())
    con.execute(
        """
        create or replace table cursor_commit_order as
        select c.*, p.email, pr.repo, t.head_ref,
               row_number() over (order by c.ts desc, c.sha) - 1 as rn
        from cursor_commits c
        join people p on p.person_id = c.author_pid
        join prs pr using (pr_key)
        join pr_text t using (pr_key)
        """
    )
    return written + _write_pages(con, out_dir, "cursor_commit_order", _commits_query())


def _write_pages(con: duckdb.DuckDBPyConnection, out_dir: Path, table: str, query: str) -> int:
    total = rows(con, f"select count(*) from {table}")[0][0]
    pages = max(1, -(-total // PAGE_SIZE))
    written = 0
    for first in range(0, pages, PAGES_PER_QUERY):
        last = min(first + PAGES_PER_QUERY, pages) - 1
        written += write_files(con, query, out_dir, [total, pages, first, last])
    return written


def _events_query() -> str:
    common = """'timestamp', e.ts_ms::varchar, 'model', e.model, 'kind', case when e.token_based
                 then 'Usage-based' else 'Included in Business' end,
               'maxMode', e.max_mode, 'requestsCosts', js_num(e.requests_costs),
               'isTokenBasedCall', e.token_based"""
    tail = """'cursorTokenFee', js_num(e.fee_cents), 'isFreeBugbot', e.free_bugbot,
               'userEmail', e.email"""
    event = f"""case when e.token_based then json_object({common},
            'tokenUsage', json_object('inputTokens', e.input, 'outputTokens', e.output,
                'cacheWriteTokens', e.cache_write, 'cacheReadTokens', e.cache_read,
                'totalCents', js_num(e.total_cents)),
            {tail})
        else json_object({common}, {tail}) end"""
    return f"""
        with params as (
            select $1::bigint as total, $2::bigint as pages, $3::bigint as first_page,
                   $4::bigint as last_page,
                   epoch_ms((select min(d) from days)::timestamp) as start_ms,
                   epoch_ms((select max(d) from days) + interval 1 day) as end_ms
        ), page_rows as (
            select p.page, list(ev.obj order by ev.rn) filter (where ev.obj is not null)
                       as events
            from (select range as page from params, range(first_page, last_page + 1)) p
            left join (select e.rn // {PAGE_SIZE} as page, e.rn, {event} as obj
                       from cursor_event_order e, params
                       where e.rn // {PAGE_SIZE} between first_page and last_page) ev
                using (page)
            group by p.page
        )
        select 'cursor/usage_events/page_' || lpad((page + 1)::varchar, 3, '0') || '.json',
               json_object(
                   'totalUsageEventsCount', total,
                   'pagination', json_object('numPages', pages, 'currentPage', page + 1,
                       'pageSize', {PAGE_SIZE}, 'hasNextPage', page + 1 < pages,
                       'hasPreviousPage', page > 0),
                   'usageEvents', coalesce(to_json(events), '[]'),
                   'period', json_object('startDate', start_ms, 'endDate', end_ms))::varchar
        from page_rows, params order by page
    """


def _commits_query() -> str:
    item = """json_object(
        'commitHash', c.sha, 'userId', 'user_' || alnum('cursor_user:' || c.author_pid, 24),
        'userEmail', c.email, 'repoName', c.repo, 'branchName', c.head_ref,
        'isPrimaryBranch', false,
        'totalLinesAdded', c.tab_added + c.composer_added + c.non_ai_added,
        'totalLinesDeleted', c.tab_deleted + c.composer_deleted + c.non_ai_deleted,
        'tabLinesAdded', c.tab_added, 'tabLinesDeleted', c.tab_deleted,
        'composerLinesAdded', c.composer_added, 'composerLinesDeleted', c.composer_deleted,
        'nonAiLinesAdded', c.non_ai_added, 'nonAiLinesDeleted', c.non_ai_deleted,
        'message', c.message, 'commitTs', iso_ms(c.ts),
        'createdAt', iso_ms(least(c.ts + secs(10 + pick('cu_created', c.ckey, 0, 50)),
                                  (select max(d) from days) + interval 1 day
                                  - interval 1 second)))"""
    return f"""
        with params as (
            select $1::bigint as total, $2::bigint as pages, $3::bigint as first_page,
                   $4::bigint as last_page
        ), lines as (
            select c.*,
                   pick('cu_tab', c.ckey, 0, 40) as tab_added,
                   pick('cu_tab_d', c.ckey, 0, 8) as tab_deleted,
                   5 + pick('cu_comp', c.ckey, 0, 150) as composer_added,
                   pick('cu_comp_d', c.ckey, 0, 40) as composer_deleted,
                   pick('cu_human', c.ckey, 0, 60) as non_ai_added,
                   pick('cu_human_d', c.ckey, 0, 30) as non_ai_deleted
            from cursor_commit_order c, params
            where c.rn // {PAGE_SIZE} between first_page and last_page
        ), page_rows as (
            select p.page, list(it.obj order by it.rn) filter (where it.obj is not null)
                       as items
            from (select range as page from params, range(first_page, last_page + 1)) p
            left join (select c.rn // {PAGE_SIZE} as page, c.rn, {item} as obj from lines c) it
                using (page)
            group by p.page
        )
        select 'cursor/ai_code_commits/page_' || lpad((page + 1)::varchar, 3, '0') || '.json',
               json_object('items', coalesce(to_json(items), '[]'), 'totalCount', total,
                           'page', page + 1, 'pageSize', {PAGE_SIZE})::varchar
        from page_rows, params order by page
    """
