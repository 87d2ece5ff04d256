"""LiteLLM `SpendLogs` as `GET /spend/logs` returns them: one JSON array of rows per day, except
one day (the middle of the period) delivered as a CSV export of the table instead.

Fields follow vendor_examples/litellm_spendlogs_schema.prisma (column order too). The JSON is
what the Python proxy serialises: `spend` a float of dollars, timestamps ISO 8601 with
microseconds and +00:00, `cache_hit` the string 'True'/'False', `metadata` an object and
`request_tags` an array. The CSV has the same columns, every JSON column as JSON text, nulls
empty and Postgres timestamps (`2026-10-31 09:15:02.123`, UTC without a zone).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.generate.engine import rows, write_files

DAYS_PER_QUERY = 15
COLUMNS = [
    "request_id", "call_type", "api_key", "spend", "total_tokens", "prompt_tokens",
    "completion_tokens", "startTime", "endTime", "request_duration_ms", "completionStartTime",
    "model", "model_id", "model_group", "custom_llm_provider", "api_base", "user", "metadata",
    "cache_hit", "cache_key", "request_tags", "team_id", "organization_id", "end_user",
    "requester_ip_address", "messages", "response", "session_id", "status",
    "mcp_namespaced_tool_name", "agent_id", "proxy_server_request",
]  # fmt: skip
TIMESTAMPS = {"startTime", "endTime", "completionStartTime"}
USER_AGENTS = ["OpenAI/Python 1.99.1", "AsyncOpenAI/Python 1.99.1", "litellm/1.77.5"]


def csv_day_idx(con: duckdb.DuckDBPyConnection) -> int:
    """The day delivered as a CSV export (the middle of the period)."""
    return rows(con, "select count(*) // 2 from days")[0][0]


def write_litellm(con: duckdb.DuckDBPyConnection, out_dir: Path) -> int:
    _prepare(con)
    written = 0
    last = rows(con, "select max(day_idx) from days")[0][0]
    csv_day = csv_day_idx(con)
    for first in range(0, last + 1, DAYS_PER_QUERY):
        span = [first, first + DAYS_PER_QUERY - 1, csv_day]
        written += write_files(con, _json_query(), out_dir, span)
    return written + write_files(con, _csv_query(), out_dir, [csv_day])


def _prepare(con: duckdb.DuckDBPyConnection) -> None:
    """One row per request with every column as a typed value (JSON columns as JSON)."""
    agents = "[" + ", ".join(f"'{a}'" for a in USER_AGENTS) + "]"
    con.execute("create or replace macro iso_us(ts) as strftime(ts, '%Y-%m-%dT%H:%M:%S.%f+00:00')")
    con.execute(
        f"""
        create or replace table ll_rows as
        select r.day_idx, r.d, r.start_ts, r.request_id,
               'acompletion' as call_type,
               hex('ll_vkey:' || r.consumer, 64) as api_key,
               r.spend,
               r.prompt_tokens + r.completion_tokens as total_tokens,
               r.prompt_tokens, r.completion_tokens,
               r.start_ts as "startTime",
               r.start_ts + to_milliseconds(r.duration_ms) as "endTime",
               r.duration_ms as request_duration_ms,
               r.start_ts + to_milliseconds(r.ttft_ms) as "completionStartTime",
               r.model, hex('ll_deployment:' || r.model, 64) as model_id, r.model_group,
               r.provider as custom_llm_provider, r.api_base,
               case when c.is_agent then '' else c.user_id end as "user",
               json_object('user_api_key', hex('ll_vkey:' || r.consumer, 64),
                   'user_api_key_alias', c.alias,
                   'user_api_key_team_id', uuid_of('ll_team:' || c.team),
                   'user_api_key_user_id', c.user_id,
                   'user_api_key_team_alias', c.team,
                   'spend_logs_metadata', null,
                   'tags', tags.tags) as metadata,
               r.cache_hit, r.cache_key, to_json(tags.tags) as request_tags,
               uuid_of('ll_team:' || c.team) as team_id,
               null::varchar as organization_id,
               case when c.is_agent then null else c.user_id end as end_user,
               '10.20.' || (1 + pick('ll_ip', r.consumer, 0, 250)) || '.'
                   || (1 + pick('ll_ip', r.consumer, 1, 250)) as requester_ip_address,
               '{{}}'::json as messages, '{{}}'::json as response,
               r.session_id, r.status,
               null::varchar as mcp_namespaced_tool_name, null::varchar as agent_id,
               '{{}}'::json as proxy_server_request
        from ll_requests r
        join ll_consumers c using (consumer)
        cross join lateral (
            select list_concat(
                case r.link_kind
                    when 'ticket' then ['ticket:' || r.ticket_key]
                    when 'pr' then ['pr:' || r.number, 'repo:' || r.repo]
                    when 'branch' then ['branch:' || r.head_ref]
                    else []::varchar[] end,
                case when c.is_agent then ['agent:' || c.agent, 'User-Agent: acme-agents/1.4.2']
                     else ['User-Agent: ' || {agents}[pick('ll_ua', r.consumer, 0, 3) + 1]] end
            ) as tags
        ) tags
        """
    )


def _json_query() -> str:
    fields = ", ".join(
        f"'{c}', iso_us(\"{c}\")" if c in TIMESTAMPS else f"'{c}', \"{c}\"" for c in COLUMNS
    )
    return f"""
        with objects as (
            select d, start_ts, request_id, json_object({fields}) as obj
            from ll_rows where day_idx between $1 and $2 and day_idx <> $3
        )
        select 'litellm/spend_logs/' || strftime(d, '%Y-%m-%d') || '.json',
               to_json(list(obj order by start_ts, request_id))::varchar
        from objects group by d order by d
    """


def _csv_query() -> str:
    header = ",".join(COLUMNS)
    fields = " || ',' || ".join(
        f"csv_field(strftime(\"{c}\", '%Y-%m-%d %H:%M:%S.%g'))"
        if c in TIMESTAMPS
        else f'csv_field("{c}"::varchar)'
        for c in COLUMNS
    )
    return f"""
        select 'litellm/spend_logs/export_' || strftime(any_value(d), '%Y-%m-%d') || '.csv',
               '{header}' || chr(10)
               || string_agg({fields}, chr(10) order by start_ts, request_id) || chr(10)
        from ll_rows where day_idx = $1
    """
