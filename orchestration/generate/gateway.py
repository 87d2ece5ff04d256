"""The LiteLLM gateway: in-house agents and a few people send requests through it to Anthropic,
DeepSeek and Qwen (DashScope); every request is one SpendLogs row (`ll_requests`).

The gateway calls Anthropic with one API key of its own (`gateway_key`, identities.csv system
`gateway_api_key`), so its Anthropic traffic also appears in the Anthropic usage and cost reports
under that key: per day and model, exactly the spend logs' prompt/completion tokens (failed
requests carry no tokens). That is the double count the warehouse must avoid. DeepSeek and Qwen
appear only here; only they have the gateway's response cache on (cache hits cost nothing and
never reach the provider).

Planted: retry storms (one person-day or agent-day each: 5-8 requests with the same prompt,
model and session of their own within two minutes, all failures but the last), plain failures
(~2%; failures log no tokens and no spend), and request tags that link a person's request to a
real ticket, PR (`pr:N` with `repo:o/r`) or branch they have open that day.
"""

from __future__ import annotations

import duckdb

from orchestration.generate.engine import values_sql
from orchestration.generate.text import list_sql

AGENTS = [
    "pr-review-bot", "ticket-triage", "release-notes", "test-fixer", "docs-writer",
    "incident-summarizer", "sql-helper", "changelog-bot",
]  # fmt: skip
# Non-Anthropic models: (provider, model, model_group, api_base, USD per Mtok in, out).
OTHER_MODELS = [
    ("deepseek", "deepseek-chat", "deepseek-chat", "https://api.deepseek.com/v1", 0.27, 1.10),
    ("deepseek", "deepseek-reasoner", "deepseek-reasoner", "https://api.deepseek.com/v1",
     0.55, 2.19),
    ("dashscope", "qwen-max", "qwen-max",
     "https://dashscope-intl.aliyuncs.com/compatible-mode/v1", 1.6, 6.4),
    ("dashscope", "qwen-plus", "qwen-plus",
     "https://dashscope-intl.aliyuncs.com/compatible-mode/v1", 0.4, 1.2),
]  # fmt: skip
ANTHROPIC_BASE = "https://api.anthropic.com/v1/messages"
FAILURE_SHARE = 0.02
TAG_SHARE = 0.35
CACHE_HIT_SHARE = 0.06


def build_gateway(con: duckdb.DuckDBPyConnection, storms: int) -> None:
    _build_consumers(con)
    _build_requests(con, storms)
    _add_provider_usage(con)


def _build_consumers(con: duckdb.DuckDBPyConnection) -> None:
    """Gateway users: a few people (virtual key per person, identities `litellm_user`) and
    in-house agents (service users owned by a team, no person)."""
    people = con.execute("select count(*) from people").fetchall()[0][0]
    agents = min(len(AGENTS), 3 + people // 500)
    con.execute(
        f"""
        create table gateway_key as
        with owner_team as (
            -- the platform (or infra) team runs the gateway; else the first regular team
            select coalesce(min(team_idx) filter (where team in ('platform', 'infra')), 0) as idx
            from teams where kind = 'regular'
        )
        select 'apikey_01' || alnum('ant_key:gateway', 22) as key_id,
               arg_min(p.person_id, u('gw_owner', p.person_id, 0)) as owner_pid
        from people p, owner_team o where p.first_team_idx = o.idx;

        create table ll_consumers as
        select 'p' || p.person_id as consumer, p.person_id, false as is_agent, null as agent,
               -- an SSO subject id, as LiteLLM stores for users who log in to the proxy UI
               '1' || lpad(pick('ll_uid', p.person_id, 0, 100000000)::varchar, 8, '0')
                   || lpad(p.person_id::varchar, 12, '0') as user_id,
               split_part(p.email, '@', 1) || '-dev' as alias, t.team, 'primary' as habit
        from tool_people tp
        join people p using (person_id)
        join teams t on t.team_idx = p.first_team_idx
        where tp.gateway_user
        union all
        select 'a' || k, null, true, {list_sql(AGENTS)}[k + 1],
               'svc-' || {list_sql(AGENTS)}[k + 1], 'agent-' || {list_sql(AGENTS)}[k + 1],
               t.team,
               ['anthropic', 'anthropic', 'deepseek', 'dashscope'][pick('ll_habit', k, 0, 4) + 1]
        from range({agents}) r(k)
        join teams t on t.team_idx = pick('ll_agent_team', k, 0,
                                          (select count(*) from teams where kind <> 'security'));

        insert into identities
        select p.email, 'gateway_api_key', g.key_id
        from gateway_key g join people p on p.person_id = g.owner_pid
        union all
        select p.email, 'litellm_user', c.user_id
        from ll_consumers c join people p using (person_id);
        """
    )


def _build_requests(con: duckdb.DuckDBPyConnection, storms: int) -> None:
    con.execute(
        "create table ll_models(provider varchar, model varchar, model_group varchar, "
        "api_base varchar, p_in double, p_out double);"
        f"insert into ll_models values {values_sql(OTHER_MODELS)};"
        "create table ll_other_models as select *, row_number() over (partition by provider "
        "order by model) - 1 as idx from ll_models"
    )
    con.execute(
        """
        create or replace macro ll_session_start(d, consumer, day_idx, session_no, n_sessions,
                                                 is_agent) as
            case when is_agent
                 then d + secs(86400.0 * (session_no - 1) / n_sessions
                               + 1200 * u('ll_ss', consumer || ':' || day_idx, session_no))
                 else d + interval 9 hour + secs(32400.0 * (session_no - 1) / n_sessions
                               + 1800 * u('ll_ss', consumer || ':' || day_idx, session_no))
            end
        """
    )
    # Open PRs per author and day, with what a tag can name: ticket key, number + repo, branch.
    con.execute(
        """
        create table pr_links as
        select p.pr_key, p.repo, p.number, p.author_pid, t.head_ref,
               coalesce(tk.key, bk.key) as ticket_key,
               p.first_commit_at::date as open_from,
               coalesce(p.closed_at::date, (select max(d) from days)) as open_to
        from prs p
        join pr_text t using (pr_key)
        left join tickets tk on tk.ticket_ref = 'T:' || p.pr_key
        left join tickets bk on bk.ticket_ref = 'B:' || p.bug_ref
        where p.author_pid is not null
        """
    )
    con.execute(
        """
        create table ll_plan as
        with active as (
            select c.*, d.d, d.day_idx,
                   case when c.is_agent then case when d.weekend
                            then 4 + pick('ll_n', c.consumer, d.day_idx, 8)
                            else 12 + pick('ll_n', c.consumer, d.day_idx, 36) end
                        else 3 + pick('ll_n', c.consumer, d.day_idx, 14) end as n
            from ll_consumers c cross join days d
            where c.is_agent
               or case when d.weekend then u('ll_weekend', c.consumer, d.day_idx) < 0.05
                       else u('ll_active', c.consumer, d.day_idx) < 0.6 end
        )
        select *, 1 + n // case when is_agent then 8 else 6 end as n_sessions from active
        """
    )
    con.execute(
        f"""
        create table ll_untimed as
        with expanded as (
            select *, unnest(range(n)) as k from ll_plan
        ), keyed as (
            select *, consumer || ':' || day_idx || ':' || k as rkey,
                   1 + (k * n_sessions) // n as session_no
            from expanded
        ), routed as (
            select *,
                   case when not is_agent then case
                            when u('ll_provider', rkey, 0) < 0.6 then 'anthropic'
                            when u('ll_provider', rkey, 0) < 0.85 then 'deepseek'
                            else 'dashscope' end
                        when u('ll_provider', rkey, 0) < 0.8 then habit
                        else ['anthropic', 'deepseek', 'dashscope'][
                            pick('ll_other', rkey, 0, 3) + 1] end as provider,
                   case when u('ll_tier', rkey, 0) < 0.2 then 'small'
                        when not is_agent and u('ll_tier', rkey, 0) < 0.3 then 'premium'
                        else 'standard' end as tier
            from keyed
        )
        select consumer, person_id, is_agent, d, day_idx, k, rkey, session_no, n_sessions,
               provider, tier, false as storm,
               u('ll_fail', rkey, 0) < {FAILURE_SHARE} as failed,
               greatest(50, round(case when is_agent then 6000 else 3000 end
                                  * exp(0.9 * nrm('ll_prompt', rkey, 0))))::bigint as prompt,
               greatest(5, round(400 * exp(0.8 * nrm('ll_completion', rkey, 0))))::bigint
                   as completion,
               case when is_agent then 5 + 55 * u('ll_gap', rkey, 0)
                    else 20 + 280 * u('ll_gap', rkey, 0) end as gap_s
        from routed
        union all
        -- retry storms: the same prompt 5-8 times within two minutes on Anthropic (overloaded),
        -- every attempt but the last failing; a retry loop's run is a session of its own (0)
        select s.consumer, s.person_id, s.is_agent, s.d, s.day_idx, 1000 + j,
               s.consumer || ':' || s.day_idx || ':' || (1000 + j), 0, s.n_sessions,
               'anthropic', 'standard', true, j < s.m - 1,
               8000 + pick('ll_storm_in', s.consumer, s.day_idx, 20000),
               200 + pick('ll_storm_out', s.consumer, s.day_idx, 1500),
               240 + 14 * j + 3 * u('ll_storm_gap', s.consumer, j)
        from (
            select consumer, person_id, is_agent, d, day_idx, n_sessions,
                   5 + pick('ll_storm_m', consumer, 0, 4) as m
            from ll_plan
            qualify row_number() over (partition by consumer
                                       order by u('ll_storm_day', consumer, day_idx)) = 1
            order by u('ll_storm_pick', consumer, 0), consumer
            limit {int(storms)}
        ) s, range(s.m) r(j)
        """
    )
    con.execute(
        f"""
        create table ll_requests as
        with timed as (
            select *,
                   date_trunc('millisecond', case when storm
                       then ll_session_start(d, consumer, day_idx, 1, n_sessions, is_agent)
                            + secs(gap_s)
                       else ll_session_start(d, consumer, day_idx, session_no, n_sessions,
                                             is_agent)
                            + secs(sum(gap_s) over (partition by consumer, day_idx, session_no,
                                                                 storm
                                                    order by k rows unbounded preceding))
                   end) as start_ts
            from ll_untimed
        ), modelled as (
            select t.*,
                   coalesce(dm.model, om.model) as model,
                   case when t.provider = 'anthropic' then 'claude-' || case t.tier
                        when 'small' then 'haiku' when 'premium' then 'opus' else 'sonnet' end
                        else om.model_group end as model_group,
                   coalesce(om.api_base, '{ANTHROPIC_BASE}') as api_base,
                   coalesce(dp.p_in::double, om.p_in) as p_in,
                   coalesce(dp.p_out::double, om.p_out) as p_out,
                   t.provider <> 'anthropic' as cache_on
            from timed t
            left join day_models dm on t.provider = 'anthropic' and dm.d = t.d
                and dm.provider = 'anthropic' and dm.tier = t.tier
            left join day_prices dp on dp.d = t.d and dp.provider = 'anthropic'
                and dp.model = dm.model
            left join ll_other_models om on om.provider = t.provider
                and om.idx = pick('ll_model', t.rkey, 0, 2)
        ), statused as (
            select *,
                   not failed and cache_on and not storm
                       and u('ll_cache', rkey, 0) < {CACHE_HIT_SHARE} as cache_hit
            from modelled
        ), tagged as (
            -- a share of people's requests name something they have open that day
            select s.rkey,
                   arg_min(l.pr_key, u('ll_pr', s.rkey, l.pr_key)) as pr_key,
                   pick('ll_link', s.rkey, 0, 3) as link_pick
            from statused s
            join pr_links l on l.author_pid = s.person_id and s.d between l.open_from
                and l.open_to
            where not s.storm and u('ll_tag', s.rkey, 0) < {TAG_SHARE}
            group by s.rkey
        ), linked as (
            select t.rkey, l.repo, l.number, l.head_ref, l.ticket_key,
                   case when t.link_pick = 0 and l.ticket_key is not null then 'ticket'
                        when t.link_pick = 2 then 'branch' else 'pr' end as link_kind
            from tagged t join pr_links l using (pr_key)
        )
        select s.consumer, s.person_id, s.is_agent, s.d, s.day_idx, s.k, s.storm,
               'chatcmpl-' || uuid_of('ll_req:' || s.rkey) as request_id,
               uuid_of('ll_session:' || s.consumer || ':' || s.day_idx || ':' || s.session_no)
                   as session_id,
               s.start_ts, s.provider, s.model, s.model_group, s.api_base,
               case when s.failed then 'failure' else 'success' end as status,
               case when s.cache_hit then 'True' else 'False' end as cache_hit,
               case when not s.cache_on then 'Cache OFF'
                    else hex('ll_prompt:' || s.consumer || ':' || s.day_idx || ':'
                             || (s.k - case when s.cache_hit then 1 else 0 end), 64)
               end as cache_key,
               case when s.failed then 0 else s.prompt end as prompt_tokens,
               case when s.failed then 0 else s.completion end as completion_tokens,
               case when s.failed or s.cache_hit then 0.0
                    else s.prompt * s.p_in / 1e6 + s.completion * s.p_out / 1e6 end as spend,
               case when s.failed then 200 + pick('ll_fail_ms', s.rkey, 0, 2500)
                    when s.cache_hit then 5 + pick('ll_hit_ms', s.rkey, 0, 40)
                    else 400 + s.completion * 12 + pick('ll_ms', s.rkey, 0, 1500) end
                   as duration_ms,
               case when not s.failed and not s.cache_hit
                    then 250 + pick('ll_ttft', s.rkey, 0, 1200) end as ttft_ms,
               l.link_kind, l.ticket_key, l.repo, l.number, l.head_ref
        from statused s left join linked l using (rkey)
        """
    )
    con.execute("drop table ll_untimed")


def _add_provider_usage(con: duckdb.DuckDBPyConnection) -> None:
    """The gateway's Anthropic traffic, as Anthropic reports it under the gateway's key."""
    con.execute(
        """
        insert into ant_usage by name
        select r.d, g.key_id, null::bigint as person_id, r.model,
               sum(r.prompt_tokens)::bigint as uncached, 0::bigint as cache_read,
               0::bigint as cache_write, sum(r.completion_tokens)::bigint as output
        from ll_requests r cross join gateway_key g
        where r.provider = 'anthropic'
        group by all
        having sum(r.prompt_tokens) + sum(r.completion_tokens) > 0
        """
    )
