"""End to end: a generated organisation goes through the nightly job (the same code path as
the Dagster schedule) twice, and the marts recover the facts the generator planted
(ground_truth.json). Nothing here restates the generator's numbers by hand: every expected
value is read from ground_truth.json and every actual value from the marts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from orchestration.cli import run_build
from orchestration.generate import generate
from tests.helpers import query

END = date(2026, 10, 31)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, dict]:
    root = tmp_path_factory.mktemp("e2e")
    landing, warehouse = root / "landing", root / "warehouse.duckdb"
    truth = generate(landing, engineers=30, days=30, seed=11, end_date=END)
    assert run_build(landing, warehouse, partition=END.isoformat())
    first = _fingerprint(warehouse)
    assert run_build(landing, warehouse, partition=END.isoformat())
    return warehouse, truth, first


def _fingerprint(warehouse: Path) -> dict:
    """Row counts of every raw table and an order-independent hash of every mart."""
    tables = query(
        warehouse,
        "select table_schema, table_name from information_schema.tables "
        "where table_schema in ('raw', 'marts') and table_name not like '\\_%' escape '\\' "
        "order by 1, 2",
    )
    prints = {}
    for schema, name in tables:
        if schema == "raw":
            prints[f"raw.{name}"] = query(warehouse, f"select count(*) from raw.{name}")[0][0]
        else:
            prints[f"marts.{name}"] = query(
                warehouse, f"select count(*), sum(hash(t::varchar)) from marts.{name} as t"
            )[0]
    return prints


def _prs(warehouse: Path, where: str) -> set[tuple[str, int]]:
    rows = query(
        warehouse,
        f"select repository, pull_request_number from marts.fct_pull_requests where {where}",
    )
    return {(repo, int(number)) for repo, number in rows}


def test_a_second_run_changes_nothing(built: tuple[Path, dict, dict]) -> None:
    warehouse, _, first = built
    assert _fingerprint(warehouse) == first
    assert query(warehouse, "select count(*) from raw._quarantine") == [(0,)]


def test_merged_closed_and_open_counts(built: tuple[Path, dict, dict]) -> None:
    warehouse, truth, _ = built
    expected = truth["pull_request_counts"]["overall"]
    merged, closed, still_open = query(
        warehouse,
        "select count(*) filter (where is_merged), count(*) filter (where is_closed_unmerged),"
        " count(*) filter (where state = 'open') from marts.fct_pull_requests",
    )[0]
    assert (merged, closed, still_open) == (
        expected["merged"],
        expected["closed_unmerged"],
        expected["open"],
    )


def test_ai_assisted_prs_are_found_by_their_trailers(built: tuple[Path, dict, dict]) -> None:
    warehouse, truth, _ = built
    planted = {(p["repo"], p["number"]) for p in truth["ai_assisted_prs"]}
    found = _prs(warehouse, "is_ai_assisted and ai_evidence like '%commit_%'")
    assert planted and planted <= found
    high = _prs(warehouse, "ai_confidence = 'high'")
    assert planted <= high


def test_agent_prs_are_agent_authored(built: tuple[Path, dict, dict]) -> None:
    warehouse, truth, _ = built
    planted = {(p["repo"], p["number"]) for p in truth["agent_prs"]}
    assert planted and planted == _prs(warehouse, "is_agent_authored")


def test_reverts_are_found_and_reverted_prs_are_reworked(built: tuple[Path, dict, dict]) -> None:
    warehouse, truth, _ = built
    reverted = {(r["repo"], r["reverted_number"]) for r in truth["reverts"]}
    reverts = {(r["repo"], r["revert_number"]) for r in truth["reverts"]}
    assert reverted and reverted <= _prs(warehouse, "is_reverted and is_reworked")
    assert reverts <= _prs(warehouse, "is_revert")


def test_bug_links_carry_escaped_defects(built: tuple[Path, dict, dict]) -> None:
    warehouse, truth, _ = built
    assert truth["bug_links"]
    for link in truth["bug_links"]:
        pr = link["original_pr"]
        keys = query(
            warehouse,
            "select escaped_defect_ticket_keys from marts.fct_pull_requests "
            "where repository = ? and pull_request_number = ?",
            [pr["repo"], pr["number"]],
        )
        assert keys and link["bug_key"] in (keys[0][0] or ""), link


def test_person_token_totals_per_provider_and_day_are_exact(
    built: tuple[Path, dict, dict],
) -> None:
    warehouse, truth, _ = built
    rows = query(
        warehouse,
        """
        select p.email, u.provider, cast(u.usage_date as varchar),
               sum(u.uncached_input_tokens), sum(u.cache_read_tokens),
               sum(u.cache_write_tokens), sum(u.output_tokens)
        from marts.fct_ai_usage as u
        join restricted.int_people_pseudonymised as p using (person_id)
        -- usage_tokens plants the provider APIs and Claude Code; gateway, Cursor and seats
        -- have their own planted facts below.
        where u.tool in ('api', 'claude_code')
        group by all
        """,
    )
    actual = {(r[0], r[1], r[2]): tuple(int(x) for x in r[3:]) for r in rows}
    expected = {
        (t["email"], t["provider"], t["date"]): (
            t["uncached_input_tokens"],
            t["cache_read_tokens"],
            t["cache_write_tokens"],
            t["output_tokens"],
        )
        for t in truth["usage_tokens"]
    }
    assert len(expected) > 100
    assert actual == expected


def test_token_maxxers_top_raw_tokens_but_not_value(built: tuple[Path, dict, dict]) -> None:
    warehouse, truth, _ = built
    rows = query(
        warehouse,
        """
        select team, sum(total_tokens) as tokens,
               sum(productive_pull_requests) * 1000.0 / sum(spend_usd) as value_per_1k
        from marts.mart_team_weekly
        where not is_suppressed
        group by team
        """,
    )
    by_tokens = [r[0] for r in sorted(rows, key=lambda r: -r[1])]
    by_value = [r[0] for r in sorted(rows, key=lambda r: -r[2])]
    maxxers = truth["token_maxxers"]["team"]
    assert by_tokens[0] == maxxers
    assert by_value.index(maxxers) >= len(by_value) - 2, by_value
    # Week by week the mart shows the same picture: mostly first by tokens, lower by value.
    weekly = query(
        warehouse,
        "select raw_token_rank, value_rank from marts.mart_team_weekly "
        "where team = ? and not is_suppressed and total_tokens > 0",
        [maxxers],
    )
    assert weekly and sum(raw == 1 for raw, _ in weekly) * 2 >= len(weekly)
    assert sum(value > raw for raw, value in weekly) * 2 >= len(weekly)


def test_small_teams_are_suppressed(built: tuple[Path, dict, dict]) -> None:
    warehouse, _, _ = built
    rows = query(
        warehouse,
        "select team_size, is_suppressed, spend_usd, merged_pull_requests "
        "from marts.mart_team_weekly where team_size < 5",
    )
    assert rows and all(s and spend is None and merged is None for _, s, spend, merged in rows)


def test_usage_on_days_without_an_open_pr_is_unattributed(
    built: tuple[Path, dict, dict],
) -> None:
    warehouse, truth, _ = built
    days = [(d["email"], d["date"]) for d in truth["usage_without_open_pr"]]
    rows = query(
        warehouse,
        """
        select p.email, cast(a.usage_date as varchar), a.method, sum(a.cost_usd)
        from marts.fct_usage_allocation as a
        join restricted.int_people_pseudonymised as p using (person_id)
        group by all
        """,
    )
    methods: dict[tuple[str, str], set[str]] = {}
    for email, day, method, _ in rows:
        methods.setdefault((email, day), set()).add(method)
    checked = [d for d in days if d in methods]
    assert len(checked) > 10
    # No open PR: nothing can go to the time window (explicit transcript links may still name
    # a PR, e.g. one opened later that day on a branch already in use).
    assert all("time_window" not in methods[d] for d in checked)
    assert all("unattributed" in methods[d] for d in checked)


def test_explicit_branch_links_beat_the_time_window(built: tuple[Path, dict, dict]) -> None:
    warehouse, _, _ = built
    rows = query(
        warehouse,
        """
        select a.evidence, a.confidence, sum(a.cost_usd)
        from marts.fct_usage_allocation as a
        where a.method = 'explicit'
        group by all
        """,
    )
    by_evidence = {evidence: (confidence, cost) for evidence, confidence, cost in rows}
    assert by_evidence["transcript_branch"][0] == "high"
    assert by_evidence["transcript_branch"][1] > 0
    # Where a transcript names a PR's branch, that PR gets the transcript's tokens first, and
    # the time window only splits what is left of the row.
    mixed = query(
        warehouse,
        """
        with shares as (
            select ai_usage_id,
                   sum(allocation_share) filter (where method = 'explicit') as explicit_share,
                   sum(allocation_share) filter (where method = 'time_window') as window_share
            from marts.fct_usage_allocation group by ai_usage_id
        )
        select count(*) from shares
        where explicit_share > 0 and explicit_share + coalesce(window_share, 0) > 1.000001
        """,
    )
    assert mixed == [(0,)]


# --- All the spend (Copilot, Cursor, LiteLLM, FOCUS) ----------------------------------------


def test_idle_copilot_seats_are_idle_and_priced(built: tuple[Path, dict, dict]) -> None:
    warehouse, truth, _ = built
    idle = set(truth["copilot_idle_seats"])
    rows = query(
        warehouse,
        """
        select p.email, bool_and(s.is_idle), sum(s.seat_cost_usd)
        from marts.mart_seat_utilization as s
        join restricted.int_people_pseudonymised as p using (person_id)
        group by p.email
        """,
    )
    by_email = {email: (is_idle, cost) for email, is_idle, cost in rows}
    assert idle and {e for e in idle if e in by_email} == idle
    assert all(by_email[e][0] and by_email[e][1] > 0 for e in idle)
    assert not any(is_idle for e, (is_idle, _) in by_email.items() if e not in idle)
    assert len(rows) == truth["copilot_seat_count"]


def test_cursor_costs_are_exact_per_person_and_day(built: tuple[Path, dict, dict]) -> None:
    warehouse, truth, _ = built
    rows = query(
        warehouse,
        """
        select p.email, cast(u.usage_date as varchar), sum(u.cost_usd)
        from marts.fct_ai_usage as u
        join restricted.int_people_pseudonymised as p using (person_id)
        where u.usage_source = 'cursor_usage_events'
        group by all
        """,
    )
    actual = {(email, day): cost for email, day, cost in rows}
    expected = {
        (r["email"], r["date"]): Decimal(r["cost_usd"]).quantize(Decimal("1e-10"))
        for r in truth["cursor_cost_usd_by_person_day"]
    }
    assert expected and actual == expected


def test_cursor_ai_code_commits_mark_their_prs(built: tuple[Path, dict, dict]) -> None:
    warehouse, truth, _ = built
    planted = {(p["repo"], p["number"]) for p in truth["cursor_commit_prs"]}
    assert planted and planted <= _prs(warehouse, "ai_evidence like '%cursor_ai_code_commit%'")
    explicit = query(
        warehouse,
        "select count(*) from marts.fct_usage_allocation where evidence = 'cursor_commit'",
    )
    assert explicit[0][0] > 0


def test_gateway_traffic_is_counted_once(built: tuple[Path, dict, dict]) -> None:
    warehouse, truth, _ = built
    gateway_key = truth["gateway_api_key"]
    by_day = {d["date"]: d["tokens"] for d in truth["gateway_anthropic_tokens_by_day"]}
    assert by_day
    # The provider reports the gateway key's traffic...
    raw = query(
        warehouse,
        """
        select cast(bucket_start_at as date)::varchar,
               sum(uncached_input_tokens + cache_read_tokens + cache_write_tokens + output_tokens)
        from staging.stg_anthropic__message_usage where api_key_id = ? group by 1
        """,
        [gateway_key],
    )
    assert {day: int(tokens) for day, tokens in raw} == by_day
    # ...but the ledger counts it once, through the gateway's logs: the report minus the key,
    # plus the logs, equals the report.
    ledger = query(
        warehouse,
        """
        select cast(usage_date as varchar), sum(total_tokens)
        from marts.fct_ai_usage
        where provider = 'anthropic'
          and usage_source in ('anthropic_usage_report', 'litellm_spend_logs')
        group by 1
        """,
    )
    report = query(
        warehouse,
        """
        select cast(bucket_start_at as date)::varchar,
               sum(uncached_input_tokens + cache_read_tokens + cache_write_tokens + output_tokens)
        from staging.stg_anthropic__message_usage group by 1
        """,
    )
    assert dict(ledger) == {day: tokens for day, tokens in report}
    gaps = query(
        warehouse,
        "select count(*) from marts.mart_gateway_reconciliation "
        "where provider = 'anthropic' and token_difference != 0",
    )
    assert gaps == [(0,)]


def test_gateway_failures_and_tags_are_kept(built: tuple[Path, dict, dict]) -> None:
    warehouse, truth, _ = built
    failures = query(
        warehouse, "select count(*) from staging.stg_litellm__spend_logs where status = 'failure'"
    )
    assert failures == [(truth["litellm_failures"],)]
    tagged = {r["request_id"] for r in truth["litellm_tagged_requests"]}
    linked = query(
        warehouse,
        "select count(*) from marts.fct_usage_allocation where evidence like 'request_tag_%'",
    )
    assert tagged and linked[0][0] > 0


def test_focus_ai_charges_land_by_tag_or_in_the_org_bucket(
    built: tuple[Path, dict, dict],
) -> None:
    warehouse, truth, _ = built
    total, untagged = query(
        warehouse,
        """
        select sum(cost_usd), sum(cost_usd) filter (where person_id is null and team is null)
        from marts.fct_ai_usage where usage_source = 'focus_billing'
        """,
    )[0]
    assert total == Decimal(str(truth["focus_ai_cost_usd"])).quantize(Decimal("1e-10"))
    assert untagged == Decimal(str(truth["focus_untagged_ai_cost_usd"])).quantize(Decimal("1e-10"))
    by_team = dict(
        query(
            warehouse,
            "select team, sum(cost_usd) from marts.fct_ai_usage "
            "where usage_source = 'focus_billing' and team is not null group by team",
        )
    )
    expected = {
        team: Decimal(str(cost)).quantize(Decimal("1e-10"))
        for team, cost in truth["focus_ai_cost_by_team"].items()
    }
    assert by_team == expected


def test_gateway_tokens_per_person_and_day_are_exact(built: tuple[Path, dict, dict]) -> None:
    warehouse, truth, _ = built
    rows = query(
        warehouse,
        """
        select p.email, u.provider, cast(u.usage_date as varchar),
               sum(u.uncached_input_tokens), sum(u.output_tokens), sum(u.request_count)
        from marts.fct_ai_usage as u
        join restricted.int_people_pseudonymised as p using (person_id)
        where u.usage_source = 'litellm_spend_logs'
        group by all
        """,
    )
    actual = {(r[0], r[1], r[2]): tuple(int(x) for x in r[3:]) for r in rows}
    expected = {
        (t["email"], t["provider"], t["date"]): (
            t["prompt_tokens"],
            t["completion_tokens"],
            t["requests"],
        )
        for t in truth["litellm_tokens_by_person_day"]
        if t["email"]
    }
    assert expected and actual == expected


def test_every_mart_is_published_as_parquet(built: tuple[Path, dict, dict]) -> None:
    warehouse, _, _ = built
    marts = [
        name
        for (name,) in query(
            warehouse,
            "select table_name from information_schema.tables where table_schema = 'marts'",
        )
    ]
    assert "fct_usage_allocation" in marts
    for name in marts:
        parquet = warehouse.parent / "marts" / f"{name}.parquet"
        assert query(warehouse, f"select count(*) from '{parquet}'") == query(
            warehouse, f"select count(*) from marts.{name}"
        ), name
