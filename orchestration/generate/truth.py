"""ground_truth.json: every fact planted in the landing files, computed from the same tables the
files were rendered from, so the warehouse can be checked against it exactly.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb

from orchestration.generate.engine import rows
from orchestration.generate.text import CURSOR_VARIANT


def _records(con: duckdb.DuckDBPyConnection, query: str) -> list[dict[str, Any]]:
    cursor = con.execute(query)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _iso(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _clean(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: _iso(v) for k, v in r.items()} for r in records]


def build_truth(
    con: duckdb.DuckDBPyConnection, params: dict[str, Any], budget: dict[str, Any]
) -> dict[str, Any]:
    con.execute(
        """
        create or replace table person_usage as
        -- "one ledger per dollar": API usage via the person's keys + subscription Claude Code
        select a.person_id, 'anthropic' as provider, a.d, a.uncached, a.cache_read,
               a.cache_write, a.output
        from ant_usage a where a.person_id is not null
        union all
        select c.person_id, 'anthropic', c.d, c.input, c.cache_read, c.cache_creation, c.output
        from cc_daily c join people p on p.person_id = c.person_id
        where p.cc_customer = 'subscription'
        union all
        select o.person_id, 'openai', o.d, o.uncached, o.cached, o.cache_write, o.output
        from oai_usage o where o.person_id is not null
        """
    )
    return {
        "params": params,
        "teams": _teams(con),
        "team_moves": _clean(
            _records(
                con,
                """select p.email, a.team as from_team, b.team as to_team, p.moved_on as date
                   from people p join teams a on a.team_idx = p.first_team_idx
                   join teams b on b.team_idx = p.second_team_idx
                   where p.moved_on is not null order by p.email""",
            )
        ),
        "token_maxxers": _token_maxxers(con),
        "ai_assisted_prs": _ai_assisted(con),
        "agent_prs": _records(
            con,
            """select p.repo, p.number, p.agent, ag.login, h.email as co_author_email
               from prs p join person_ids h on h.person_id = p.assigner_pid
               join agent_accounts ag on ag.agent = p.agent
               where p.kind = 'agent' order by p.repo, p.number""",
        ),
        "pull_request_counts": _pr_counts(con),
        "reverts": _clean(
            _records(
                con,
                """select r.repo, r.number as revert_number, o.number as reverted_number,
                          hex('merge:' || o.pr_key, 40) as reverted_merge_commit_sha,
                          o.merged_at as reverted_merged_at, r.merged_at as revert_merged_at
                   from prs r join prs o on o.pr_key = r.orig_pr_key
                   where r.kind = 'revert' order by r.repo, r.number""",
            )
        ),
        "bug_links": _bug_links(con),
        "budget_exhaustion": budget,
        "retry_loops": _clean(
            _records(
                con,
                """select p.email, session_uuid(r.person_id, r.day_idx, r.session_no)
                              as session_id,
                          any_value(r.model) as model, min(r.ts) as start, max(r.ts) as "end",
                          count(*) as requests, any_value(r.input_tokens) as input_tokens
                   from cc_requests r join people p using (person_id)
                   where r.burst
                   group by all order by p.email""",
            )
        ),
        "usage_without_open_pr": _usage_without_open_pr(con, params["end_date"]),
        "usage_tokens": _usage_tokens(con),
        "unowned_usage_tokens": _unowned(con),
        "transcript_people": [
            r[0]
            for r in rows(
                con,
                "select email from people where person_id in "
                "(select person_id from transcript_people) order by email",
            )
        ],
        **_copilot(con),
        **_cursor(con),
        **_litellm(con),
        **_focus(con),
    }


def _teams(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    found = rows(
        con,
        """select t.team, t.kind, t.jira_key, t.repo, count(td.person_id)
           from teams t left join team_days td on td.team_idx = t.team_idx
               and td.d = (select max(d) from days)
           group by t.team_idx, t.team, t.kind, t.jira_key, t.repo order by t.team_idx""",
    )
    return {
        team: {"kind": kind, "jira_project": key, "main_repo": repo, "members_on_end_date": n}
        for team, kind, key, repo, n in found
    }


def _token_maxxers(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    stats = _records(
        con,
        """
        with spend as (
            select p.person_id, p.is_ai_lab,
                   coalesce(sum(c.ledger_usd + c.estimate_usd), 0)::double as usd
            from people p
            join person_spend_base b using (person_id)
            left join person_day_cost c using (person_id)
            where b.has_ai
            group by all
        ), merged as (
            select p.person_id, p.is_ai_lab, count(pr.pr_key) as merged
            from people p left join prs pr
                on pr.author_pid = p.person_id and pr.merged_at is not null
            group by all
        )
        select
            (select median(usd) from spend where is_ai_lab) as median_spend_usd,
            (select median(usd) from spend where not is_ai_lab) as median_other_spend_usd,
            (select avg(merged) from merged where is_ai_lab) as merged_prs_per_person,
            (select avg(merged) from merged where not is_ai_lab) as other_merged_prs_per_person
        """,
    )[0]
    emails = [r[0] for r in rows(con, "select email from people where is_ai_lab order by 1")]
    ratio = stats["median_spend_usd"] / stats["median_other_spend_usd"]
    return {
        "team": "ai-lab",
        "emails": emails,
        "spend_basis": "list-price USD of all the person's tokens (ledger + subscription "
        "Claude Code estimate) over the period",
        "median_spend_usd": round(stats["median_spend_usd"], 2),
        "median_other_spend_usd": round(stats["median_other_spend_usd"], 2),
        "spend_ratio_vs_median": round(ratio, 2),
        "merged_prs_per_person": round(stats["merged_prs_per_person"], 3),
        "other_merged_prs_per_person": round(stats["other_merged_prs_per_person"], 3),
    }


def _ai_assisted(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    found = rows(
        con,
        """select p.repo, p.number, list(distinct m.markers order by m.markers),
                  list(c.sha order by c.commit_no)
           from commits c join prs p using (pr_key) join ai_markers m using (variant)
           group by p.repo, p.number order by p.repo, p.number""",
    )
    return [
        {
            "repo": repo,
            "number": number,
            "markers": sorted({m for group in markers for m in group.split(",")}),
            "commit_shas": shas,
        }
        for repo, number, markers, shas in found
    ]


def _pr_counts(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    found = _records(
        con,
        """select repo, count(*) filter (where merged_at is not null) as merged,
                  count(*) filter (where closed_at is not null and merged_at is null)
                      as closed_unmerged,
                  count(*) filter (where closed_at is null) as open
           from prs group by repo order by repo""",
    )
    by_repo = {r.pop("repo"): r for r in found}
    overall = {
        k: sum(r[k] for r in by_repo.values()) for k in ("merged", "closed_unmerged", "open")
    }
    return {"overall": overall, "by_repo": by_repo}


def _bug_links(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    found = _records(
        con,
        """
        select b.key as bug_key, o.key as original_ticket_key, b.link_type,
               b.created_at as bug_created_at,
               op.repo as original_repo, op.number as original_number,
               op.merged_at as original_merged_at,
               x.repo as fix_repo, x.number as fix_number, x.state as fix_state,
               x.merged_at as fix_merged_at,
               (select list(f.filename order by f.filename) from pr_files f
                join pr_files g on g.filename = f.filename and g.pr_key = op.pr_key
                where f.pr_key = x.pr_key) as shared_files
        from tickets b
        join tickets o on o.ticket_ref = b.orig_ref
        join prs op on 'T:' || op.pr_key = o.ticket_ref
        left join prs x on x.kind = 'fix' and x.bug_ref = op.pr_key
        order by b.key
        """,
    )
    out = []
    for r in found:
        fix = None
        if r["fix_number"] is not None:
            fix = {
                "repo": r["fix_repo"],
                "number": r["fix_number"],
                "state": r["fix_state"],
                "merged_at": _iso(r["fix_merged_at"]),
                "shared_files": r["shared_files"],
            }
        out.append(
            {
                "bug_key": r["bug_key"],
                "original_ticket_key": r["original_ticket_key"],
                "link_type": r["link_type"],
                "bug_created_at": _iso(r["bug_created_at"]),
                "original_pr": {
                    "repo": r["original_repo"],
                    "number": r["original_number"],
                    "merged_at": _iso(r["original_merged_at"]),
                },
                "fix_pr": fix,
            }
        )
    return out


def _usage_without_open_pr(con: duckdb.DuckDBPyConnection, end_date: str) -> list[dict[str, Any]]:
    return _clean(
        _records(
            con,
            f"""
            with used as (select distinct person_id, d from person_usage),
            open_days as (
                select distinct p.author_pid as person_id, d.d
                from prs p join days d on d.d between p.first_commit_at::date
                    and coalesce(p.closed_at::date, date '{end_date}')
                where p.author_pid is not null
            )
            select pe.email, u.d as date
            from used u join people pe using (person_id)
            where not exists (select 1 from open_days o
                              where o.person_id = u.person_id and o.d = u.d)
            order by pe.email, u.d
            """,
        )
    )


def _usage_tokens(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    return _clean(
        _records(
            con,
            """
            select p.email, u.provider, u.d as date,
                   sum(u.uncached)::bigint as uncached_input_tokens,
                   sum(u.cache_read)::bigint as cache_read_tokens,
                   sum(u.cache_write)::bigint as cache_write_tokens,
                   sum(u.output)::bigint as output_tokens
            from person_usage u join people p using (person_id)
            group by all order by p.email, u.provider, u.d
            """,
        )
    )


def _unowned(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    return _clean(
        _records(
            con,
            """
            select 'anthropic' as provider, key_id as api_key_id, d as date,
                   sum(uncached)::bigint as uncached_input_tokens,
                   sum(cache_read)::bigint as cache_read_tokens,
                   sum(cache_write)::bigint as cache_write_tokens,
                   sum(output)::bigint as output_tokens
            from ant_usage where person_id is null group by all
            union all
            select 'openai', key_id, d, sum(uncached)::bigint, sum(cached)::bigint,
                   sum(cache_write)::bigint, sum(output)::bigint
            from oai_usage where person_id is null group by all
            order by provider, date, api_key_id
            """,
        )
    )


def _copilot(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    return {
        "copilot_seat_count": rows(con, "select count(*) from copilot_seats")[0][0],
        "copilot_idle_seats": [
            r[0] for r in rows(con, "select email from copilot_seats where idle order by email")
        ],
        "copilot_idle_seat_logins": [
            r[0] for r in rows(con, "select login from copilot_seats where idle order by login")
        ],
        "copilot_pending_cancellations": _clean(
            _records(
                con,
                """select login, email, pending_cancellation_date as date from copilot_seats
                   where pending_cancellation_date is not null order by login""",
            )
        ),
    }


def _cursor(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    # Cost per event exactly as delivered: the JSON text of each float, as a decimal.
    as_delivered = "js_num({})::varchar::decimal(38, 20)"
    return {
        "cursor_users": [
            r[0]
            for r in rows(
                con,
                "select email from people join tool_people using (person_id) "
                "where cursor_user order by email",
            )
        ],
        "cursor_cost_usd_by_person_day": _clean(
            _records(
                con,
                f"""select p.email, e.d as date,
                          dec_str(sum(coalesce({as_delivered.format("e.total_cents")}, 0)
                                      + {as_delivered.format("e.fee_cents")}) * 0.01)
                              as cost_usd,
                          count(*) as events
                   from cursor_events e join people p using (person_id)
                   group by all order by p.email, e.d""",
            )
        ),
        "cursor_commit_prs": _records(
            con,
            f"""select pr.repo, pr.number, c.sha as commit_sha,
                      coalesce(m.variant = {CURSOR_VARIANT}, false) as made_with_cursor_trailer
               from cursor_commits c
               join prs pr using (pr_key)
               left join pr_markers m using (pr_key)
               order by pr.repo, pr.number, c.sha""",
        ),
    }


def _litellm(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    tagged = []
    for request_id, kind, ticket, repo, number, branch in rows(
        con,
        """select request_id, link_kind, ticket_key, repo, number, head_ref from ll_requests
           where link_kind is not null order by request_id""",
    ):
        link: dict[str, Any] = {"ticket": {"ticket_key": ticket}, "branch": {"branch": branch}}.get(
            kind, {"pr": {"repo": repo, "number": number}}
        )
        tagged.append({"request_id": request_id, **link})
    return {
        "gateway_api_key": rows(con, "select key_id from gateway_key")[0][0],
        "gateway_anthropic_tokens_by_day": _clean(
            _records(
                con,
                """select a.d as date,
                          sum(a.uncached + a.cache_read + a.cache_write + a.output)::bigint
                              as tokens,
                          sum(a.uncached)::bigint as uncached_input_tokens,
                          sum(a.output)::bigint as output_tokens
                   from ant_usage a join gateway_key g using (key_id)
                   group by a.d order by a.d""",
            )
        ),
        "litellm_failures": rows(con, "select count(*) from ll_requests where status = 'failure'")[
            0
        ][0],
        "litellm_retry_storms": _records(
            con,
            """select c.user_id as user, p.email, r.session_id,
                      iso_ms(min(r.start_ts)) as start, iso_ms(max(r.start_ts)) as "end",
                      count(*) as requests,
                      count(*) filter (where r.status = 'failure') as failures
               from ll_requests r
               join ll_consumers c using (consumer)
               left join people p on p.person_id = c.person_id
               where r.storm
               group by all order by start, c.user_id""",
        ),
        "litellm_tagged_requests": tagged,
        "litellm_tokens_by_person_day": _clean(
            _records(
                con,
                """select p.email, r.provider, r.d as date,
                          sum(r.prompt_tokens)::bigint as prompt_tokens,
                          sum(r.completion_tokens)::bigint as completion_tokens,
                          count(*) as requests
                   from ll_requests r join people p using (person_id)
                   group by all order by p.email, r.provider, r.d""",
            )
        ),
    }


def _focus(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    def by(column: str) -> dict[str, str]:
        return dict(
            rows(
                con,
                f"""select {column}, dec_str(sum(cost)) from focus_lines
                    where is_ai and {column} is not null group by 1 order by 1""",
            )
        )

    total, untagged = rows(
        con,
        """select dec_str(sum(cost)), dec_str(coalesce(sum(cost) filter (where tag_team is null),
                  0::decimal(38, 12)))
           from focus_lines where is_ai""",
    )[0]
    return {
        "focus_ai_cost_usd": total,
        "focus_ai_cost_by_team": by("tag_team"),
        "focus_untagged_ai_cost_usd": untagged,
        "focus_ai_cost_by_person": by("tag_user"),
    }
