"""End to end: `tokenworth build` with credentials runs the nightly job (extract, then load,
then dbt) against the local replay; a second warehouse is built, extraction off, from the
same page bodies dropped by hand into the landing folders DESIGN names. The marts are equal:
extraction adds nothing but the files a user could have dropped."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from orchestration.extract.sources import SOURCES
from tests.extract_replay import LOGINS, PEOPLE, Replay
from tests.helpers import write_org

REPO = Path(__file__).resolve().parents[1]

# Where a page served at a path belongs in the landing contract (DESIGN.md, landing folders).
FOLDERS = {
    "/v1/organizations/usage_report/messages": "anthropic/usage_report_messages",
    "/v1/organizations/cost_report": "anthropic/cost_report",
    "/v1/organizations/usage_report/claude_code": "anthropic/claude_code",
    "/v1/organizations/analytics/usage": "anthropic/analytics_usage",
    "/v1/organizations/analytics/cost": "anthropic/analytics_cost",
    "/v1/organization/usage/completions": "openai/usage_completions",
    "/v1/organization/costs": "openai/costs",
    "/repos/acme/app/pulls": "github/acme/app/pulls",
    "/orgs/acme/copilot/billing/seats": "github_copilot/seats",
    "/teams/filtered-usage-events": "cursor/usage_events",
    "/analytics/ai-code/commits": "cursor/ai_code_commits",
    "/rest/api/3/search/jql": "jira/issues",
    "/spend/logs": "litellm/spend_logs",
}


def _folder(path: str) -> tuple[str, str] | None:
    if path.startswith("/downloads/users-"):
        return "github_copilot/users", ".ndjson"
    if path.startswith("/organizations/acme/settings/billing/"):
        return "github_copilot/billing", ".json"
    if path.startswith("/repos/acme/app/pulls/"):
        return "github/acme/app" + path.removeprefix("/repos/acme/app"), ".json"
    if path in FOLDERS:
        return FOLDERS[path], ".json"
    return None  # the Copilot report answer (signed links) is not data


def _org(landing: Path) -> None:
    write_org(
        landing,
        people="".join(f"{p},{p.split('@')[0]},core,2026-01-01,\n" for p in PEOPLE),
        identities="".join(f"{p},github,{login}\n" for p, login in zip(PEOPLE, LOGINS, strict=True))
        + f"{PEOPLE[0]},anthropic_api_key,apikey_ada\n",
    )


def _build(landing: Path, warehouse: Path, env: dict[str, str]) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "orchestration.cli",
            "build",
            "--landing",
            str(landing),
            "--warehouse",
            str(warehouse),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def _marts(warehouse: Path) -> dict[str, tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        names = [
            r[0]
            for r in conn.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        ]
        return {
            name: conn.execute(
                f"select count(*), sum(hash(t::varchar)) from marts.{name} as t"
            ).fetchone()
            for name in names
        }


@pytest.fixture(scope="module")
def replay() -> Replay:
    server = Replay(anchor=datetime.now(UTC).date())
    yield server
    server.close()


def test_extract_then_build_equals_a_build_over_the_same_pages_dropped_by_hand(
    replay: Replay, tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = tmp_path_factory.mktemp("extract_e2e")
    clean = {
        k: v
        for k, v in os.environ.items()
        if not any(
            k in (*s.credential_vars, s.base_url_var, *s.scope_vars) for s in SOURCES.values()
        )
    }
    extracted, by_hand = root / "extracted", root / "by_hand"
    _org(extracted)
    _build(
        extracted,
        root / "extracted.duckdb",
        {
            **clean,
            **replay.env(),
            "TOKENWORTH_EXTRACT": "on",
            "TOKENWORTH_RESTATEMENT_LOOKBACK_DAYS": "7",
        },
    )
    served = [(path, body) for path, body in replay.served if _folder(path)]
    assert len(served) > 40
    assert {_folder(p)[0].split("/")[0] for p, _ in served} == {
        "anthropic",
        "openai",
        "github",
        "github_copilot",
        "cursor",
        "jira",
        "litellm",
    }

    # The same bodies, dropped by hand under names of our own, delivered at the same time.
    counters: dict[str, int] = defaultdict(int)
    _org(by_hand)
    stamp = time.time()
    for path, body in served:
        folder, suffix = _folder(path)
        counters[folder] += 1
        target = by_hand / folder / f"page-{counters[folder]:03d}{suffix}"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
        os.utime(target, (stamp, stamp))
    _build(by_hand, root / "by_hand.duckdb", {**clean, "TOKENWORTH_EXTRACT": "off"})

    extracted_marts, hand_marts = _marts(root / "extracted.duckdb"), _marts(root / "by_hand.duckdb")
    assert extracted_marts == hand_marts
    with duckdb.connect(str(root / "extracted.duckdb"), read_only=True) as conn:
        sources = {
            r[0]
            for r in conn.execute(
                "select distinct usage_source from marts.fct_ai_usage where cost_usd > 0"
            ).fetchall()
        }
        pulls = conn.execute("select count(*) from marts.fct_pull_requests").fetchone()[0]
    assert {"anthropic_analytics", "openai_usage_api", "copilot_billing"} <= sources
    assert pulls == 5
