"""End to end: a generated organisation goes through the nightly job (the same code path as
the Dagster schedule) twice, and the marts recover the facts the generator planted
(ground_truth.json). Nothing here restates the generator's numbers by hand: every expected
value is read from ground_truth.json and every actual value from the marts."""

from __future__ import annotations

from datetime import date
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
        select a.method, a.confidence, sum(a.cost_usd)
        from marts.fct_usage_allocation as a
        group by all
        """,
    )
    by_method = {method: (confidence, cost) for method, confidence, cost in rows}
    assert by_method["explicit"][0] == "high" and by_method["explicit"][1] > 0
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
