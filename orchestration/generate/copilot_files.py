"""GitHub Copilot: `/orgs/{org}/copilot/billing/seats` pages and the usage-metrics user-level
1-day reports (NDJSON, one line per active user).

Shapes follow vendor_examples/copilot_seats.json and copilot_usage_metrics_user_level.json.
Seat timestamps carry a -06:00 offset as in GitHub's example (the warehouse normalises to UTC).
In each user line the top-level counts are the sums of `totals_by_feature`, and `totals_by_ide`
repeats them for the one IDE the person uses.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.generate.engine import rows, write_files
from orchestration.generate.github_files import API, ORG_LOGIN, WEB, create_user_macro

SEATS_PER_PAGE = 100
DAYS_PER_QUERY = 31
ENTERPRISE_ID = 81234


def write_copilot(con: duckdb.DuckDBPyConnection, out_dir: Path) -> int:
    create_user_macro(con)
    con.execute(
        "create or replace macro gh_local(ts) as "
        "strftime(ts - interval 6 hour, '%Y-%m-%dT%H:%M:%S') || '-06:00'"
    )
    written = write_files(con, _seats_query(), out_dir)
    last = rows(con, "select max(day_idx) from days")[0][0]
    for first in range(0, last + 1, DAYS_PER_QUERY):
        written += write_files(con, _users_query(), out_dir, [first, first + DAYS_PER_QUERY - 1])
    return written


def _seats_query() -> str:
    team = f"""json_object(
        'id', 7100000 + t.team_idx, 'node_id', 'T_kwDOBd4L0M4' || alnum('team:' || t.team, 6),
        'url', '{API}/teams/' || (7100000 + t.team_idx),
        'html_url', '{WEB}/orgs/{ORG_LOGIN}/teams/' || t.team, 'name', t.team, 'slug', t.team,
        'description', 'The ' || t.team || ' team', 'privacy', 'closed',
        'notification_setting', 'notifications_enabled', 'permission', 'pull',
        'members_url', '{API}/teams/' || (7100000 + t.team_idx) || '/members{{/member}}',
        'repositories_url', '{API}/teams/' || (7100000 + t.team_idx) || '/repos',
        'parent', null)"""
    editor = """case when s.last_activity_at is null then null
        when s.ide = 'vscode' then 'vscode/1.10' || (2 + pick('cp_ver', s.person_id, 0, 4))
             || '.1/copilot-chat/0.3' || (1 + pick('cp_ver', s.person_id, 1, 3)) || '.2'
        else 'JetBrains-IU/252.2' || (5000 + pick('cp_ver', s.person_id, 2, 900))
             || '.84/copilot-intellij/1.5.' || (50 + pick('cp_ver', s.person_id, 3, 9)) end"""
    seat = f"""json_object(
        'created_at', gh_local(s.created_at), 'updated_at', gh_local(s.created_at),
        'pending_cancellation_date', strftime(s.pending_cancellation_date, '%Y-%m-%d'),
        'last_activity_at', gh_local(s.last_activity_at),
        'last_activity_editor', {editor},
        'last_authenticated_at', gh_local(s.last_activity_at
            + secs(60 * pick('cp_auth', s.person_id, 0, 50))),
        'plan_type', s.plan_type,
        'assignee', gh_user(s.login, s.github_id, 'User'),
        'assigning_team', case when t.team is not null then {team} end)"""
    return f"""
        with ordered as (
            select {seat} as obj,
                   row_number() over (order by s.created_at, s.login) - 1 as rn,
                   count(*) over () as total
            from copilot_seats s left join teams t on t.team_idx = s.assigning_team_idx
        )
        select 'github_copilot/seats/page_' || lpad((rn // {SEATS_PER_PAGE} + 1)::varchar, 3, '0')
                   || '.json',
               json_object('total_seats', any_value(total),
                           'seats', to_json(list(obj order by rn)))::varchar
        from ordered group by rn // {SEATS_PER_PAGE} order by 1
    """


# (feature, when, acceptances, generations, lines added, deleted, suggested to add, to delete,
# user-initiated interactions); the top-level counts are their sums.
FEATURES = [
    ("code_completion", "true", "acc_completion", "gen_completion", "add_completion", "0",
     "sug_add_completion", "0", "0"),
    ("chat_panel_ask_mode", "used_chat", "chat_n // 2", "chat_n", "(chat_n // 2) * 6", "0",
     "chat_n * 6", "0", "chat_n"),
    ("chat_panel_agent_mode", "used_agent", "agent_n", "agent_n", "agent_add", "agent_del",
     "agent_add", "agent_del", "agent_n"),
]  # fmt: skip


def _obj(**fields: str) -> str:
    """json_object(...) with keys in alphabetical order, as GitHub's example has them."""
    return "json_object(" + ", ".join(f"'{k}', {v}" for k, v in sorted(fields.items())) + ")"


def _counts(acc: str, gen: str, add: str, dele: str, sug_add: str, sug_del: str) -> dict:
    return {
        "code_acceptance_activity_count": acc,
        "code_generation_activity_count": gen,
        "loc_added_sum": add,
        "loc_deleted_sum": dele,
        "loc_suggested_to_add_sum": sug_add,
        "loc_suggested_to_delete_sum": sug_del,
    }


def _per_feature(with_language: bool) -> str:
    items = []
    for name, when, acc, gen, add, dele, sug_add, sug_del, n in FEATURES:
        fields = _counts(acc, gen, add, dele, sug_add, sug_del) | {"feature": f"'{name}'"}
        if with_language:
            fields["language"] = "language"
        else:
            fields["user_initiated_interaction_count"] = n
        items.append(f"case when {when} then {_obj(**fields)} end")
    return f"list_filter([{', '.join(items)}], lambda x: x is not null)"


def _users_query() -> str:
    totals = _counts("acc", "gen", "added", "deleted", "sug_add", "sug_del")
    sampled = "iso_ms(d + secs(3600 * 8 + 60 * pick('cp_ide_s', person_id, d, 60)))"
    cli = _obj(
        last_known_cli_version=(
            "case when used_cli then json_object("
            "'cli_version', '0.0.3' || (30 + pick('cp_cli_ver', person_id, 0, 9)), "
            "'sampled_at', iso_ms(d + secs(3600 * 9 + 60 * pick('cp_s', person_id, d, 600)))) end"
        ),
        prompt_count="cli_prompts",
        request_count="cli_requests",
        session_count="cli_sessions",
        token_usage=_obj(
            avg_tokens_per_request=(
                "case when cli_requests > 0 then round((cli_prompt_tokens + cli_output_tokens)"
                " / cli_requests, 1) else 0.0 end"
            ),
            output_tokens_sum="cli_output_tokens",
            prompt_tokens_sum="cli_prompt_tokens",
        ),
    )
    ide = _obj(
        **totals,
        ide="ide",
        last_known_ide_version=f"json_object('ide_version', ide_version, 'sampled_at', {sampled})",
        last_known_plugin_version=(
            "json_object('plugin', plugin, 'plugin_version', plugin_version, "
            f"'sampled_at', {sampled})"
        ),
        user_initiated_interaction_count="uiic",
    )
    # key order as in the docs example: the counts alphabetically, then user and partitions
    line = f"""json_object(
        'code_acceptance_activity_count', acc, 'code_generation_activity_count', gen,
        'day', day, 'enterprise_id', '{ENTERPRISE_ID}',
        'loc_added_sum', added, 'loc_deleted_sum', deleted,
        'loc_suggested_to_add_sum', sug_add, 'loc_suggested_to_delete_sum', sug_del,
        'totals_by_cli', {cli},
        'totals_by_feature', {_per_feature(False)},
        'totals_by_ide', [{ide}],
        'totals_by_language_feature', {_per_feature(True)},
        'totals_by_language_model', []::json[],
        'totals_by_model_feature', []::json[],
        'used_agent', used_agent, 'used_chat', used_chat, 'used_cli', used_cli,
        'user_id', github_id, 'user_login', login, 'user_initiated_interaction_count', uiic,
        'etl_id', 'green', 'day_partition', day, 'entity_id_partition', {ENTERPRISE_ID})"""
    return f"""
        with base as (
            select c.*, s.login, s.github_id, s.ide, strftime(c.d, '%Y-%m-%d') as day,
                   lower(r.language) as language,
                   case s.ide when 'vscode' then '1.10' || (2 + pick('cp_ver', s.person_id, 0, 4))
                        || '.1' else '2025.2.' || (1 + pick('cp_ver', s.person_id, 2, 4)) end
                       as ide_version,
                   case s.ide when 'vscode' then 'copilot-chat' else 'copilot-intellij' end
                       as plugin,
                   case s.ide when 'vscode' then '0.3' || (1 + pick('cp_ver', s.person_id, 1, 3))
                        || '.2' else '1.5.' || (50 + pick('cp_ver', s.person_id, 3, 9)) end
                       as plugin_version,
                   c.cli_requests * c.cli_in_per_request as cli_prompt_tokens,
                   c.cli_requests * c.cli_out_per_request as cli_output_tokens,
                   greatest(0, c.cli_requests - pick('cp_cli_p', c.person_id, c.day_idx, 2))
                       as cli_prompts
            from copilot_days c
            join copilot_seats s using (person_id)
            join teams t on t.team_idx = s.first_team_idx
            join repos r on r.repo = t.repo
            where c.day_idx between ? and ?
        ), totals as (
            select *,
                   acc_completion + chat_n // 2 + agent_n as acc,
                   gen_completion + chat_n + agent_n as gen,
                   add_completion + (chat_n // 2) * 6 + agent_add as added,
                   agent_del as deleted,
                   sug_add_completion + chat_n * 6 + agent_add as sug_add,
                   agent_del as sug_del,
                   chat_n + agent_n as uiic
            from base
        )
        select 'github_copilot/users/' || day || '.ndjson',
               string_agg({line}::varchar, chr(10) order by login) || chr(10)
        from totals group by day order by day
    """
