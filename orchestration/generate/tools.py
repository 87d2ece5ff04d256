"""Coding tools beyond Claude Code: GitHub Copilot seats and activity, Cursor usage and its
AI-code commits.

Who holds what is drawn once per person (`tool_people`, before PR details, because Cursor users'
PRs carry `Made-with: Cursor` only some of the time; it also picks the LiteLLM gateway's users).
Copilot: ~60% of people hold a seat and ~15% of the seats are idle (no activity at all in the
period). Cursor: ~30% of people; it bills each request itself (usage events) and reports which
commits it wrote code in (AI-code commits, full SHAs of the generated PR commits).
"""

from __future__ import annotations

import duckdb

from orchestration.generate.engine import values_sql
from orchestration.generate.text import CURSOR_VARIANT

SEAT_SHARE = 0.6
IDLE_SHARE = 0.15
CURSOR_SHARE = 0.3
GATEWAY_SHARE = 0.08
# A Cursor user's PR "used Cursor" with this probability; such a PR carries the Made-with
# trailer with CURSOR_TRAILER_SHARE (see pulls.build_pr_details), so AI-code commits find more.
CURSOR_PR_SHARE = 0.6
CURSOR_TRAILER_SHARE = 0.4

# Cursor models: (model, token-based?, USD per Mtok input, output, cache write, cache read).
CURSOR_MODELS = [
    ("claude-4.5-sonnet", True, 3.0, 15.0, 3.75, 0.3),
    ("claude-4.5-sonnet-thinking", True, 3.0, 15.0, 3.75, 0.3),
    ("gpt-5", True, 1.25, 10.0, 1.25, 0.125),
    ("gpt-5-codex", True, 1.25, 10.0, 1.25, 0.125),
    ("claude-4.1-opus", True, 15.0, 75.0, 18.75, 1.5),
    ("auto", False, 0, 0, 0, 0),
    ("composer-1", False, 0, 0, 0, 0),
    ("claude-4.5-sonnet", False, 0, 0, 0, 0),
    ("gpt-5", False, 0, 0, 0, 0),
    ("cursor-small", False, 0, 0, 0, 0),
]
TOKEN_MODELS = sum(1 for m in CURSOR_MODELS if m[1])
INCLUDED_MODELS = len(CURSOR_MODELS) - TOKEN_MODELS
# Cursor's own fee on token-based calls, in cents per token ($0.25 per million tokens).
CURSOR_FEE_CENTS_PER_TOKEN = 0.000025


def plan_tools(con: duckdb.DuckDBPyConnection) -> None:
    """Who uses which tool (exact shares by rank, so small organisations still get some)."""
    con.execute(
        f"""
        create table tool_people as
        with ranked as (
            select person_id, count(*) over () as n,
                   row_number() over (order by u('cursor_user', person_id, 0), person_id) as cr,
                   row_number() over (order by u('copilot_seat', person_id, 0), person_id) as sr,
                   row_number() over (order by u('gateway_user', person_id, 0), person_id) as gr
            from people
        ), flagged as (
            select person_id,
                   cr <= greatest(3, round({CURSOR_SHARE} * n)) as cursor_user,
                   sr <= greatest(3, round({SEAT_SHARE} * n)) as copilot_seat,
                   gr <= greatest(3, round({GATEWAY_SHARE} * n)) as gateway_user
            from ranked
        )
        select *,
               copilot_seat and row_number() over (
                   partition by copilot_seat order by u('copilot_idle', person_id, 0), person_id
               ) <= greatest(1, round({IDLE_SHARE} * count(*) filter (where copilot_seat) over ()))
                   as copilot_idle
        from flagged
        """
    )


def build_copilot(con: duckdb.DuckDBPyConnection) -> None:
    """Copilot seats (`copilot_seats`) and one row per active seat holder per day
    (`copilot_days`). Idle seat holders have no activity days at all."""
    days = con.execute("select count(*) from days").fetchall()[0][0]
    con.execute(
        f"""
        create table copilot_days as
        with holders as (
            select person_id, u('cp_rate', person_id, 0) as rate,
                   pick('cp_anchor', person_id, 0, {days}) as anchor,
                   u('cp_cli_user', person_id, 0) < 0.35 as cli_user,
                   u('cp_agent_user', person_id, 0) < 0.5 as agent_user
            from tool_people where copilot_seat and not copilot_idle
        ), active as (
            select h.*, d.d, d.day_idx, h.person_id || ':' || d.day_idx as ckey
            from holders h cross join days d
            -- every non-idle holder is active on at least one day (the anchor)
            where d.day_idx = h.anchor
               or case when d.weekend then u('cp_weekend', h.person_id, d.day_idx) < 0.04
                       else u('cp_active', h.person_id, d.day_idx) < 0.35 + 0.55 * h.rate end
        ), drawn as (
            select person_id, d, day_idx, ckey,
                   u('cp_chat', ckey, 0) < 0.5 as used_chat,
                   agent_user and u('cp_agent', ckey, 0) < 0.4 as used_agent,
                   cli_user and u('cp_cli', ckey, 0) < 0.5 as used_cli,
                   4 + pick('cp_gen', ckey, 0, 60) as gen_completion,
                   0.15 + 0.35 * u('cp_acc', ckey, 0) as accept_rate
            from active
        )
        select person_id, d, day_idx, used_chat, used_agent, used_cli,
               -- code completion
               gen_completion,
               round(gen_completion * accept_rate)::bigint as acc_completion,
               gen_completion * (2 + pick('cp_loc', ckey, 0, 6)) as sug_add_completion,
               round(gen_completion * accept_rate * (2 + pick('cp_loc', ckey, 0, 6)))::bigint
                   as add_completion,
               -- chat (ask) and agent modes: user-initiated interactions
               case when used_chat then 1 + pick('cp_chat_n', ckey, 0, 12) else 0 end as chat_n,
               case when used_agent then 1 + pick('cp_agent_n', ckey, 0, 8) else 0 end as agent_n,
               case when used_agent then 10 + pick('cp_agent_loc', ckey, 0, 200) else 0 end
                   as agent_add,
               case when used_agent then pick('cp_agent_del', ckey, 0, 60) else 0 end as agent_del,
               -- CLI
               case when used_cli then 1 + pick('cp_cli_s', ckey, 0, 3) else 0 end as cli_sessions,
               case when used_cli then 2 + pick('cp_cli_r', ckey, 0, 30) else 0 end as cli_requests,
               case when used_cli then 2000 + pick('cp_cli_in', ckey, 0, 10000) else 0 end
                   as cli_in_per_request,
               case when used_cli then 150 + pick('cp_cli_out', ckey, 0, 1400) else 0 end
                   as cli_out_per_request
        from drawn
        """
    )
    con.execute(
        """
        create table copilot_seats as
        with last_use as (
            select person_id, max(d) as last_day from copilot_days group by person_id
        ), seats as (
            select t.person_id, t.copilot_idle as idle, p.login, p.github_id, p.email,
                   p.first_team_idx,
                   greatest(p.hired_on + 1, (select min(d) from days)
                            - (30 + pick('cp_created', p.person_id, 0, 500))::int)
                       + secs(3600 * (8 + 10 * u('cp_created_t', p.person_id, 0))) as created_at,
                   case when u('cp_plan', p.person_id, 0) < 0.85 then 'business'
                        else 'enterprise' end as plan_type,
                   case when u('cp_team', p.person_id, 0) < 0.8 then p.first_team_idx end
                       as assigning_team_idx,
                   case when u('cp_ide', p.person_id, 0) < 0.7 then 'vscode' else 'intellij' end
                       as ide,
                   l.last_day
            from tool_people t
            join people p using (person_id)
            left join last_use l using (person_id)
            where t.copilot_seat
        )
        select *,
               case when not idle
                        then last_day + secs(3600 * (9 + 9 * u('cp_last', person_id, 0)))
                    -- idle: never used (null), or last used well before the period
                    when u('cp_never', person_id, 0) >= 0.4
                        then created_at + secs(u('cp_old', person_id, 0) * greatest(0,
                            epoch((select min(d) from days) - interval 20 day)
                            - epoch(created_at)))
               end as last_activity_at,
               case when (idle and u('cp_cancel', person_id, 0) < 0.35)
                         or (not idle and u('cp_cancel', person_id, 0) < 0.02)
                    then (date_trunc('month', (select max(d) from days)) + interval 1 month)::date
               end as pending_cancellation_date
        from seats
        """
    )


def build_cursor(con: duckdb.DuckDBPyConnection) -> None:
    """Cursor usage events (one row per request, billed in float cents) and AI-code commits
    (which of the Cursor users' PR commits Cursor wrote code in)."""
    con.execute(
        "create table cursor_models(ordinal int, model varchar, token_based boolean, "
        "p_in double, p_out double, p_cw double, p_cr double);"
        f"insert into cursor_models values "
        f"{values_sql([(i, *m) for i, m in enumerate(CURSOR_MODELS)])};"
        "create table cursor_model_idx as select *, row_number() over (partition by token_based "
        "order by ordinal) - 1 as idx from cursor_models"
    )
    con.execute(
        f"""
        create table cursor_events as
        with users as (
            select person_id, 0.25 + 0.5 * u('cu_tb_rate', person_id, 0) as tb_rate
            from tool_people where cursor_user
        ), active as (
            select s.person_id, s.tb_rate, d.d, d.day_idx,
                   2 + pick('cu_n', s.person_id, d.day_idx, 10) as n
            from users s cross join days d
            where case when d.weekend then u('cu_weekend', s.person_id, d.day_idx) < 0.05
                       else u('cu_active', s.person_id, d.day_idx) < 0.7 end
        ), expanded as (
            select *, unnest(range(n)) as k from active
        ), drawn as (
            select person_id, d, day_idx, k, n,
                   person_id || ':' || day_idx || ':' || k as ekey,
                   u('cu_tb', person_id || ':' || day_idx || ':' || k, 0) < tb_rate
                       as token_based
            from expanded
        ), modelled as (
            select e.*, m.model, m.p_in, m.p_out, m.p_cw, m.p_cr,
                   e.token_based and u('cu_max', e.ekey, 0) < 0.25 as max_mode,
                   not e.token_based and u('cu_bugbot', e.ekey, 0) < 0.02 as free_bugbot,
                   case when e.token_based then 20 + pick('cu_in', e.ekey, 0, 6000) end as input,
                   case when e.token_based then 50 + pick('cu_out', e.ekey, 0, 3000) end
                       as output,
                   case when e.token_based then pick('cu_cw', e.ekey, 0, 25000) end
                       as cache_write,
                   case when e.token_based then pick('cu_cr', e.ekey, 0, 150000) end
                       as cache_read
            from drawn e
            join cursor_model_idx m on m.token_based = e.token_based
                and m.idx = case when e.token_based
                                 then pick('cu_model', e.ekey, 0, {TOKEN_MODELS})
                                 else pick('cu_model', e.ekey, 0, {INCLUDED_MODELS}) end
        ), costed as (
            select *,
                   -- float arithmetic, as the vendor's own (values such as 40.16699999999999)
                   case when token_based then (input * p_in + output * p_out + cache_write * p_cw
                        + cache_read * p_cr) / 10000.0 * case when max_mode then 1.2 else 1.0 end
                   end as total_cents
            from modelled
        )
        select person_id, d, day_idx, k, model, token_based, max_mode, free_bugbot,
               input, output, cache_write, cache_read, total_cents,
               case when token_based then round((input + output + cache_write + cache_read)
                        * {CURSOR_FEE_CENTS_PER_TOKEN}, 2)
                    else 0.0 end as fee_cents,
               case when token_based then greatest(1.0, round(total_cents / 4.0))
                    else [0.5, 1.0, 1.0, 1.0, 1.4, 2.0][pick('cu_req', ekey, 0, 6) + 1]
               end::double as requests_costs,
               -- strictly increasing within a person-day, so no two events share a millisecond
               epoch_ms(d + interval 8 hour
                   + secs(36000.0 * (k + 0.9 * u('cu_t', ekey, 0)) / n)) as ts_ms
        from costed
        """
    )
    con.execute(
        f"""
        create table cursor_commits as
        select c.pr_key, c.commit_no, c.sha, c.ts, c.message, c.variant, c.author_pid,
               c.pr_key || ':' || c.commit_no as ckey
        from commits c join cursor_prs cp using (pr_key)
        where c.author_pid is not null
          and (c.commit_no = 1 or c.variant = {CURSOR_VARIANT}
               or u('cursor_commit', c.pr_key, c.commit_no) < 0.6)
        """
    )
