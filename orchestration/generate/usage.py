"""AI usage: how much each person spends per day, split into Claude Code requests, other
Anthropic API calls and OpenAI calls, turned into tokens at that day's list prices.

Claude Code is generated bottom-up, one row per API request (`cc_requests`): analytics, the
usage report and the transcripts are all sums or renderings of those rows, so they agree
exactly by construction. To keep transcripts a manageable size, a person-day has at most
40 requests (80 for ai-lab), heavier days get bigger requests rather than more of them, and
transcripts are synced for at most 80 people (everyone else is still in analytics and ledgers).
"""

from __future__ import annotations

import duckdb

# Token mix per unit of spend. Claude Code: mostly cache reads; API scripts: more fresh input.
CC_MIX = "((p_cr + 0.08 * p_cw + 0.03 * p_out)::double / 1e6)"
# Requests per person-day are capped to bound transcript volume; see the module docstring.
TOKENS_PER_REQUEST = 150_000
MAX_REQUESTS = 40
AI_LAB_MAX_REQUESTS = 80
TRANSCRIPT_PEOPLE_MAX = 80
API_MIX = "((p_in + 0.6 * p_cr + 0.05 * p_cw + 0.2 * p_out)::double / 1e6)"
OPENAI_MIX = "((p_in + 1.2 * p_cr + 0.02 * p_cw + 0.15 * p_out)::double / 1e6)"


def build_usage(con: duckdb.DuckDBPyConnection, retry_loops: int) -> None:
    _build_spend(con)
    _choose_transcript_people(con)
    _build_claude_code(con, retry_loops)
    _build_anthropic_api(con)
    _build_openai(con)


def _build_spend(con: duckdb.DuckDBPyConnection) -> None:
    """Per-person daily dollars: heavy-tailed lognormal; ai-lab at ~10x everyone's median."""
    con.execute(
        """
        create table person_spend_base as
        select person_id, is_ai_lab,
               cc_user or ant_keys > 0 or has_openai as has_ai,
               case when is_ai_lab then 1 else exp(ln(20) + 0.9 * nrm('level', person_id, 0))
               end as raw_level,
               -- token maxxers run their own agent loops on API keys, not only Claude Code
               case when cc_user then case when is_ai_lab then 0.3 else 0.6 end
                    * exp(0.25 * nrm('w_cc', person_id, 0)) else 0 end as w_cc,
               case when ant_keys > 0 then case when is_ai_lab then 0.55 when cc_user then 0.25
                    else 0.7 end * exp(0.25 * nrm('w_api', person_id, 0)) else 0 end as w_api,
               case when has_openai then 0.18 * exp(0.25 * nrm('w_oai', person_id, 0))
                    else 0 end as w_oai
        from people;

        create table person_days_raw as
        select s.person_id, s.is_ai_lab, d.d, d.day_idx,
               s.raw_level * exp(0.35 * nrm('daily', s.person_id, d.day_idx)) as raw_dollars
        from person_spend_base s cross join days d
        where s.has_ai
          and case when d.weekend then u('weekend', s.person_id, d.day_idx) < 0.06
                   else u('absent', s.person_id, d.day_idx) >= 0.1 end;

        -- Scale each ai-lab member so their period total is ~10x the median person's total
        -- (not just their daily level): the planted ratio then holds for any period length.
        create table person_scale as
        with totals as (
            select person_id, any_value(is_ai_lab) as is_ai_lab, sum(raw_dollars) as total
            from person_days_raw group by person_id
        ), median_total as (select median(total) as m from totals where not is_ai_lab)
        select person_id,
               case when is_ai_lab then 10 * exp(0.08 * nrm('maxxer', person_id, 0)) * m / total
                    else 1 end as scale
        from totals, median_total;

        create table person_days as
        select r.person_id, r.d, r.day_idx,
               b.w_cc / (b.w_cc + b.w_api + b.w_oai) as s_cc,
               b.w_api / (b.w_cc + b.w_api + b.w_oai) as s_api,
               b.w_oai / (b.w_cc + b.w_api + b.w_oai) as s_oai,
               r.raw_dollars * ps.scale as dollars
        from person_days_raw r
        join person_spend_base b using (person_id)
        join person_scale ps using (person_id);
        """
    )


def _choose_transcript_people(con: duckdb.DuckDBPyConnection) -> None:
    """Whose laptops sync transcripts: every Claude Code user up to a cap (a few ai-lab members
    first, then a random draw, so both token maxxers and PR-shipping teams are covered).

    The cap keeps transcript volume flat as the organisation grows; everyone else is still in
    Claude Code analytics and the usage report, and is attributed by time window instead.
    """
    con.execute(
        f"""
        create table transcript_people as
        with ranked as (
            select person_id, is_ai_lab, u('sync', person_id, 0) as r,
                   row_number() over (partition by is_ai_lab order by u('sync', person_id, 0))
                       as rank_in_group
            from people where cc_user
        )
        select person_id from ranked
        qualify row_number() over (order by (is_ai_lab and rank_in_group <= 8) desc, r)
            <= {TRANSCRIPT_PEOPLE_MAX}
        """
    )


def _build_claude_code(con: duckdb.DuckDBPyConnection, retry_loops: int) -> None:
    con.execute(
        f"""
        create table cc_plan as
        with pd as (
            select pd.*, p.ant_tier, p.is_ai_lab,
                   u('subagents', pd.person_id, pd.day_idx) < 0.5 as has_subagents
            from person_days pd join people p using (person_id)
            where pd.s_cc > 0
        ), models as (
            select pd.person_id, pd.d, pd.day_idx, pd.is_ai_lab, false as is_sub, dm.model,
                   pd.dollars * pd.s_cc * 0.97 as usd, null::bigint as n_sub
            from pd join day_models dm
                on dm.d = pd.d and dm.provider = 'anthropic'
                -- Claude Code's main loop runs on sonnet or opus; haiku only for subagents
                and dm.tier = case when pd.ant_tier = 'premium' then 'premium' else 'standard' end
            union all
            -- subagents run on the small model: a few requests of ~50k tokens
            select pd.person_id, pd.d, pd.day_idx, pd.is_ai_lab, true, dm.model, null,
                   1 + pick('n_sub', pd.person_id, pd.day_idx, 8)
            from pd join day_models dm
                on dm.d = pd.d and dm.provider = 'anthropic' and dm.tier = 'small'
            where has_subagents
        ), priced as (
            select m.*, {CC_MIX} as unit_usd
            from models m join day_prices dp
                on dp.d = m.d and dp.provider = 'anthropic' and dp.model = m.model
        )
        select * exclude (usd, n_sub),
               coalesce(usd, n_sub * 50000 * unit_usd) as usd,
               coalesce(n_sub, least(case when is_ai_lab then {AI_LAB_MAX_REQUESTS}
                                          else {MAX_REQUESTS} end,
                        greatest(1, ceil(usd / ({TOKENS_PER_REQUEST} * unit_usd)))))::bigint as n
        from priced;

        create table cc_day_sessions as
        select person_id, d, day_idx,
               least(case when is_ai_lab then 6 else 3 end, 1 + n // 12)::bigint as n_sessions
        from cc_plan where not is_sub;
        """
    )
    con.execute(
        f"""
        create table cc_request_plan as
        with expanded as (
            select c.*, s.n_sessions, unnest(range(c.n)) as k
            from cc_plan c join cc_day_sessions s using (person_id, d, day_idx)
        ), keyed as (
            select *, request_key(person_id, day_idx, is_sub, k) as rkey from expanded
        )
        select person_id, d, day_idx, model, is_sub, k, rkey, false as burst,
               case when is_sub then 1 + pick('sub_session', person_id, day_idx, n_sessions)
                    else 1 + (k * n_sessions) // n end as session_no,
               case when is_sub then k // 4 end as agent_no,
               n_sessions,
               usd / n * exp(0.25 * nrm('req_usd', rkey, 0)) / unit_usd as units,
               case when u('prompt', rkey, 0) < 0.08 then 500 + pick('prompt_in', rkey, 0, 5500)
                    else 1 + pick('input', rkey, 0, 9) end as input_tokens
        from keyed;

        -- Retry loops: one person-day each, six identical requests 15 s apart in session 1.
        create table retry_bursts as
        select person_id, d, day_idx, model
        from cc_plan where not is_sub and person_id in (select person_id from transcript_people)
        qualify row_number() over (partition by person_id
                                   order by u('retry_day', person_id, day_idx)) = 1
        order by u('retry_pick', person_id, 0)
        limit {int(retry_loops)};
        """
    )
    con.execute(
        """
        create table cc_requests_untimed as
        select person_id, d, day_idx, model, is_sub, k, rkey, burst, session_no, agent_no,
               n_sessions, input_tokens,
               round(units)::bigint as cache_read,
               round(units * 0.08 * exp(0.4 * nrm('cw', rkey, 0)))::bigint as cache_creation,
               greatest(1, round(units * 0.03 * exp(0.5 * nrm('out', rkey, 0))))::bigint as output,
               20 + 280 * u('gap', rkey, 0) as gap_s
        from cc_request_plan
        union all
        select b.person_id, b.d, b.day_idx, b.model, false, 1000 + j,
               request_key(b.person_id, b.day_idx, false, 1000 + j), true, 1, null,
               s.n_sessions, 3 + pick('retry_in', b.person_id, 0, 5),
               40000 + pick('retry_cr', b.person_id, 0, 60000),
               pick('retry_cw', b.person_id, 0, 400),
               30 + pick('retry_out', b.person_id, j, 40), 15
        from retry_bursts b
        join cc_day_sessions s using (person_id, d, day_idx)
        cross join range(6) r(j)
        """
    )
    con.execute(
        """
        create table cc_requests as
        with starts as (
            select *,
                   d + interval 8 hour + secs(36000.0 * (session_no - 1) / n_sessions
                       + 2400 * u('session_start', person_id || ':' || day_idx, session_no))
                       as session_start
            from cc_requests_untimed
        )
        select person_id, d, day_idx, model, is_sub, k, session_no, agent_no, burst,
               input_tokens, cache_creation, cache_read, output,
               case when burst then session_start + secs(600 + 15 * (k - 1000))
                    else session_start + secs(case when is_sub then 90 else 0 end
                        + sum(gap_s) over (partition by person_id, day_idx, session_no, is_sub,
                                                        burst
                                           order by k rows unbounded preceding))
               end as ts,
               (2 + pick('lines', rkey, 0, 2))::tinyint as n_lines
        from starts;

        drop table cc_request_plan;
        drop table cc_requests_untimed;
        """
    )
    con.execute(
        """
        create table cc_daily as
        select person_id, d, model, sum(input_tokens)::bigint as input,
               sum(output)::bigint as output, sum(cache_read)::bigint as cache_read,
               sum(cache_creation)::bigint as cache_creation
        from cc_requests group by all
        """
    )


def _build_anthropic_api(con: duckdb.DuckDBPyConnection) -> None:
    """Non-Claude-Code API use per key, then the usage report: ledger rows per day x key x model.

    An API-billed Claude Code user's requests land on their first key, so the ledger always
    contains (and is >= ) their Claude Code telemetry. Subscription Claude Code never lands here.
    """
    con.execute(
        f"""
        create table ant_api_usage as
        with pd as (
            select pd.*, p.ant_tier, p.ant_keys,
                   u('api_small', pd.person_id, pd.day_idx) < 0.4 as mixes_small
            from person_days pd join people p using (person_id)
            where pd.s_api > 0
        ), models as (
            select pd.person_id, pd.d, pd.day_idx, pd.ant_keys, dm.model,
                   pd.dollars * pd.s_api * case when mixes_small then 0.7 else 1 end as usd
            from pd join day_models dm
                on dm.d = pd.d and dm.provider = 'anthropic' and dm.tier = pd.ant_tier
            union all
            select pd.person_id, pd.d, pd.day_idx, pd.ant_keys, dm.model,
                   pd.dollars * pd.s_api * 0.3
            from pd join day_models dm
                on dm.d = pd.d and dm.provider = 'anthropic' and dm.tier = 'small'
            where mixes_small
        ), service as (
            -- a CI bot on a key nobody owns, every day
            select null::bigint as person_id, d.d, d.day_idx, 1 as ant_keys, dm.model,
                   12 * exp(0.3 * nrm('service', d.day_idx, 0)) as usd
            from days d join day_models dm
                on dm.d = d.d and dm.provider = 'anthropic' and dm.tier = 'standard'
        ), keyed as (
            select m.*, k.key_id,
                   case when m.ant_keys = 2 then case k.key_no when 1 then 0.7 else 0.3 end
                        else 1 end as share
            from models m join api_keys k
                on k.provider = 'anthropic' and k.person_id = m.person_id
            union all
            select s.*, k.key_id, 1
            from service s join api_keys k on k.provider = 'anthropic' and k.person_id is null
        ), units as (
            select k.*, k.usd * k.share / {API_MIX} as units,
                   k.key_id || ':' || k.day_idx || ':' || k.model as ukey
            from keyed k join day_prices dp
                on dp.d = k.d and dp.provider = 'anthropic' and dp.model = k.model
        )
        select person_id, d, key_id, model,
               round(units * exp(0.2 * nrm('a_in', ukey, 0)))::bigint as uncached,
               round(units * 0.6 * exp(0.2 * nrm('a_cr', ukey, 0)))::bigint as cache_read,
               round(units * 0.05 * exp(0.2 * nrm('a_cw', ukey, 0)))::bigint as cache_write,
               round(units * 0.2 * exp(0.2 * nrm('a_out', ukey, 0)))::bigint as output
        from units
        """
    )
    con.execute(
        """
        create table ant_usage as
        with cc_api as (
            select c.d, k.key_id, c.model, c.input as uncached, c.cache_read,
                   c.cache_creation as cache_write, c.output
            from cc_daily c
            join people p on p.person_id = c.person_id and p.cc_customer = 'api'
            join api_keys k on k.provider = 'anthropic' and k.person_id = c.person_id
                and k.key_no = 1
        ), rows as (
            select * from cc_api
            union all
            select d, key_id, model, uncached, cache_read, cache_write, output from ant_api_usage
        )
        select r.d, r.key_id, k.person_id, r.model, sum(uncached)::bigint as uncached,
               sum(cache_read)::bigint as cache_read, sum(cache_write)::bigint as cache_write,
               sum(output)::bigint as output
        from rows r join api_keys k on k.provider = 'anthropic' and k.key_id = r.key_id
        group by all
        """
    )


def _build_openai(con: duckdb.DuckDBPyConnection) -> None:
    """Completions usage per day x user x key x model; cache writes are small, as in practice."""
    con.execute(
        f"""
        create table oai_usage as
        with rows as (
            select pd.person_id, pd.d, pd.day_idx, k.key_id, pi.openai_user as user_id,
                   dm.model, pd.dollars * pd.s_oai as usd
            from person_days pd
            join people p using (person_id)
            join person_ids pi using (person_id)
            join api_keys k on k.provider = 'openai' and k.person_id = pd.person_id
            join day_models dm on dm.d = pd.d and dm.provider = 'openai' and dm.tier = p.oai_tier
            where pd.s_oai > 0
            union all
            select null, d.d, d.day_idx, k.key_id, null, dm.model,
                   6 * exp(0.3 * nrm('oai_service', d.day_idx, 0))
            from days d
            join api_keys k on k.provider = 'openai' and k.person_id is null
            join day_models dm on dm.d = d.d and dm.provider = 'openai' and dm.tier = 'small'
        ), units as (
            select r.*, r.usd / {OPENAI_MIX} as units,
                   r.key_id || ':' || r.day_idx || ':' || r.model as ukey
            from rows r join day_prices dp
                on dp.d = r.d and dp.provider = 'openai' and dp.model = r.model
        ), tokens as (
            select person_id, d, key_id, user_id, model,
                   round(units * exp(0.2 * nrm('o_in', ukey, 0)))::bigint as uncached,
                   round(units * 1.2 * exp(0.2 * nrm('o_cr', ukey, 0)))::bigint as cached,
                   case when u('o_cw_any', ukey, 0) < 0.5 then 0
                        else round(units * 0.02 * exp(0.3 * nrm('o_cw', ukey, 0))) end::bigint
                       as cache_write,
                   round(units * 0.15 * exp(0.2 * nrm('o_out', ukey, 0)))::bigint as output
            from units
        )
        select *, uncached + cached + cache_write as input_tokens,
               greatest(1, round((uncached + cached + cache_write) / 9000.0))::bigint as requests
        from tokens
        """
    )
