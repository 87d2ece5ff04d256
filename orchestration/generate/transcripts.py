"""Claude Code session transcripts (`~/.claude/projects/<slug>/<session>.jsonl`), per person.

Each API response is written the way Claude Code streams it: 2-3 assistant lines with the same
message id and requestId, repeating `usage`; only the last line carries the final
`output_tokens`. Deduplicating per (message.id, requestId) and keeping the largest usage gives
back exactly the `cc_requests` row, so transcripts sum to Claude Code analytics per person-day.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from orchestration.generate.engine import rows, write_files
from orchestration.generate.text import list_sql

TOOLS = ["Read", "Edit", "Bash", "Grep", "Edit", "Read", "Write", "Bash"]
PROMPTS = [
    "Implement the change described in the ticket and add tests.",
    "Why is this test failing? Fix it.",
    "Refactor this module so the handler is easier to test.",
    "Review my diff and suggest improvements.",
    "Add logging around the retry path.",
    "Run the test suite and fix what breaks.",
]
PEOPLE_PER_BATCH = 25


def build_sessions(con: duckdb.DuckDBPyConnection, end: dt.date) -> None:
    """One row per transcript session: its git branch (a PR the person has open that day, or
    main) and working directory."""
    con.execute(
        f"""
        create table cc_sessions as
        with s as (
            select person_id, d, day_idx, session_no,
                   session_uuid(person_id, day_idx, session_no) as session_id
            from cc_requests
            where person_id in (select person_id from transcript_people)
            group by all
        ), open_prs as (
            select p.author_pid as person_id, t.head_ref, p.repo, p.pr_key,
                   p.first_commit_at::date as d0,
                   coalesce(p.closed_at::date, date '{end}') as d1
            from prs p join pr_text t using (pr_key)
            where p.author_pid is not null
        ), candidates as (
            select s.session_id, o.head_ref, o.repo, o.pr_key, s.session_no,
                   count(*) over (partition by s.session_id) as cnt,
                   row_number() over (partition by s.session_id
                                      order by u('sess_pr', s.session_id, o.pr_key)) as rnk
            from s join open_prs o on o.person_id = s.person_id and s.d between o.d0 and o.d1
        ), chosen as (
            select * from candidates where rnk = (session_no - 1) % cnt + 1
        ), placed as (
            select s.*,
                   case when on_branch then c.pr_key end as pr_key,
                   case when on_branch then c.head_ref else 'main' end as git_branch,
                   case when on_branch then c.repo else t.repo end as repo
            from s
            left join chosen c using (session_id)
            cross join lateral (
                -- most sessions work on an open PR's branch; some stay on main
                select c.pr_key is not null and u('on_main', s.session_id, 0) >= 0.15 as on_branch
            )
            join team_days td on td.person_id = s.person_id and td.d = s.d
            join teams t on t.team_idx = td.team_idx
        )
        select pl.*, p.email,
               '/Users/' || p.login || '/src/' || split_part(pl.repo, '/', 2) as cwd,
               '2.1.' || (20 + pl.day_idx // 14 + pick('cc_version', pl.person_id, 0, 10))
                   as version
        from placed pl join people p using (person_id)
        """
    )


def write_transcripts(con: duckdb.DuckDBPyConnection, out_dir: Path) -> int:
    people = [r[0] for r in rows(con, "select person_id from transcript_people order by 1")]
    written = 0
    for i in range(0, len(people), PEOPLE_PER_BATCH):
        batch = people[i : i + PEOPLE_PER_BATCH]
        written += write_files(con, _lines_query(), out_dir, [batch])
    return written


def _lines_query() -> str:
    tools = list_sql(TOOLS)
    prompts = list_sql(PROMPTS)
    return f"""
        with keyed as (
            select r.*, request_key(r.person_id, r.day_idx, r.is_sub, r.k) as rkey
            from cc_requests r
            where r.person_id in (select unnest(?::bigint[]))
        ), req as (
            select r.*, s.session_id, s.cwd, s.git_branch, s.version, s.email,
                   'msg_01' || alnum('msg:' || r.rkey, 22) as message_id,
                   'req_011C' || alnum('req:' || r.rkey, 20) as request_id,
                   case when r.is_sub then hex('agent:' || s.session_id || ':' || r.agent_no, 7)
                   end as agent_id,
                   row_number() over (partition by s.session_id, r.is_sub, r.agent_no
                                      order by r.ts, r.rkey) as pos
            from keyed r join cc_sessions s using (person_id, day_idx, session_no)
        ), lines as (
            -- a user prompt opens a session and precedes requests with fresh input; tool-result
            -- turns between requests are left out to keep files small (they carry no usage)
            select session_id, is_sub, agent_id, email, cwd, ts - interval 1500 millisecond
                       as line_ts, rkey, 0 as j, 'user' as kind,
                   json_object('role', 'user', 'content',
                       {prompts}[pick('prompt_text', rkey, 0, 6) + 1]) as message,
                   null::varchar as request_id, git_branch, version
            from req
            where pos = 1 or input_tokens > 100
            union all
            -- ... then the streamed assistant response, usage repeated on every line
            select session_id, is_sub, agent_id, email, cwd,
                   ts + to_milliseconds(600 * j), rkey, j, 'assistant',
                   json_object('model', model, 'id', message_id, 'type', 'message',
                       'role', 'assistant',
                       'content', case when j < n_lines
                           then [json_object('type', 'text', 'text', 'Let me look at that.')]
                           else [json_object('type', 'tool_use',
                                 'id', 'toolu_01' || alnum('use:' || rkey, 22),
                                 'name', {tools}[pick('tool', rkey, 0, 8) + 1],
                                 'input', json_object('file_path', cwd || '/README.md'))] end,
                       'stop_reason', case when j < n_lines then null else 'tool_use' end,
                       'stop_sequence', null,
                       'usage', json_object(
                           'input_tokens', input_tokens,
                           'cache_creation_input_tokens', cache_creation,
                           'cache_read_input_tokens', cache_read,
                           'cache_creation', json_object('ephemeral_5m_input_tokens',
                               cache_creation, 'ephemeral_1h_input_tokens', 0),
                           'output_tokens', case when j < n_lines
                               then least(output, 1 + pick('partial', rkey, 0, 25))
                               else output end,
                           'service_tier', 'standard')),
                   request_id, git_branch, version
            from req, range(1, 4) r(j)
            where j <= n_lines
        ), identified as (
            select *, uuid_hex(hex('line:' || rkey || ':' || j, 32)) as uuid from lines
        ), chained as (
            select *,
                   lag(uuid) over (partition by session_id, is_sub, agent_id
                                   order by line_ts, rkey, j) as parent_uuid,
                   'claude_code_transcripts/' || email || '/'
                       || regexp_replace(cwd, '[/.]', '-', 'g') || '/' || session_id
                       || case when is_sub then '/subagents/agent-' || agent_id else '' end
                       || '.jsonl' as path
            from identified
        )
        select path,
               string_agg(
                   -- the common head of every line, left open so the rest can follow
                   rtrim(json_object(
                       'parentUuid', parent_uuid, 'isSidechain', is_sub,
                       'userType', 'external', 'cwd', cwd, 'sessionId', session_id,
                       'version', version, 'gitBranch', git_branch)::varchar, '}}')
                   || case when is_sub then ',"agentId":' || to_json(agent_id) else '' end
                   || case when kind = 'assistant'
                           then ',"message":' || message::varchar || ',"requestId":'
                                || to_json(request_id) || ',"type":"assistant"'
                           else ',"type":"user","message":' || message::varchar end
                   || ',"uuid":' || to_json(uuid) || ',"timestamp":'
                   || to_json(iso_ms(line_ts)) || '}}',
                   chr(10) order by line_ts, rkey, j) || chr(10) as text
        from chained
        group by path
        order by path
    """
