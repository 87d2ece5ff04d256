"""Extraction against a local replay of the vendors' APIs (tests/extract_replay.py): every page
lands once and byte for byte, retries and restarts behave, a second run asks only for the
trailing window and new pages, a killed run resumes, and no credential is written or logged."""

from __future__ import annotations

import base64
import logging
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from orchestration.extract.batch import extract
from orchestration.extract.http import RetryPolicy
from orchestration.extract.sources import SOURCES, config_from_env
from tests.extract_replay import SECRETS, Fault, Replay

REPO = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 10, 6, tzinfo=UTC)
SINCE = date(2026, 11, 5)
FAST = RetryPolicy(backoff_seconds=0.1, max_attempts=4)
ALL_VARS = {
    var
    for spec in SOURCES.values()
    for var in (*spec.credential_vars, spec.base_url_var, *spec.scope_vars)
}


@pytest.fixture
def replay(monkeypatch: pytest.MonkeyPatch) -> Iterator[Replay]:
    server = Replay()
    for var in ALL_VARS:
        monkeypatch.delenv(var, raising=False)
    for key, value in server.env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("TOKENWORTH_RESTATEMENT_LOOKBACK_DAYS", "2")
    yield server
    server.close()


def _run(root: Path, now: datetime = NOW, since: date | None = SINCE, names=None) -> dict:
    results = extract(root / "landing", root / "w.duckdb", names, since, now=now, policy=FAST)
    return {r.endpoint: r for r in results}


def _landed(root: Path) -> dict[str, bytes]:
    landing = root / "landing"
    return {
        p.relative_to(landing).as_posix(): p.read_bytes()
        for p in sorted(landing.rglob("*"))
        if p.is_file()
    }


def _assert_no_secret(root: Path, text: str) -> None:
    for secret in SECRETS.values():
        assert secret not in text
        for path in root.rglob("*"):
            if path.is_file():
                assert secret.encode() not in path.read_bytes(), f"{secret[:6]}... in {path}"


def test_every_page_lands_once_byte_for_byte_through_faults(
    replay: Replay, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    replay.faults += [
        Fault("/v1/organizations/usage_report/messages", 429, headers={"Retry-After": "1"}),
        Fault("/v1/organization/usage/completions", 500),
        Fault("/v1/organizations/analytics/usage", 410, only_with="page"),
        # GitHub's rate limit is a 403 with Retry-After: waited out, not a bad credential.
        Fault("/orgs/acme/copilot/billing/seats", 403, headers={"Retry-After": "1"}),
        Fault("/teams/filtered-usage-events", 401, times=99),
        Fault("/analytics/ai-code/commits", 401, times=99),
    ]
    lines: list[str] = []
    with caplog.at_level(logging.DEBUG):
        results = extract(
            tmp_path / "landing",
            tmp_path / "w.duckdb",
            None,
            SINCE,
            now=NOW,
            policy=FAST,
            log=lines.append,
        )
    by_name = {r.endpoint: r for r in results}

    # 401 names the source and the variable to set; the other sources go on.
    failed = {name for name, r in by_name.items() if r.status == "failed"}
    assert failed == {"cursor/usage_events", "cursor/ai_code_commits"}
    assert "CURSOR_API_KEY" in by_name["cursor/usage_events"].message
    assert "401" in by_name["cursor/usage_events"].message
    assert all(r.status == "extracted" for n, r in by_name.items() if n not in failed)

    # Every distinct page body served lands exactly once, unchanged; nothing else lands.
    # (The Copilot report answer is a list of signed links, not data: its NDJSON lands.)
    served = Counter(body for path, body in replay.served if "/metrics/reports/" not in path)
    landed = Counter(_landed(tmp_path).values())
    assert landed == Counter(set(served))
    assert len(landed) > 60

    # 429 waited its Retry-After; the 500 was retried; the expired cursor restarted the stream.
    first_two = replay.seen("/v1/organizations/usage_report/messages")[:2]
    assert first_two[1].at - first_two[0].at >= 0.9
    assert len(replay.seen("/v1/organization/usage/completions")) == 3 + 1
    assert len(replay.seen("/orgs/acme/copilot/billing/seats")) == 2 + 1
    assert by_name["anthropic/analytics_usage"].restarts == 1
    analytics = [f for f in _landed(tmp_path) if f.startswith("anthropic/analytics_usage/")]
    assert len(analytics) == 5 and analytics[-1].endswith("_p0005.json")

    # The credential reached the server, and nowhere else: files, warehouse, logs.
    assert replay.seen("/rest/api/3/search/jql")[0].authorization.startswith("Basic ")
    assert (
        replay.seen("/v1/organizations/cost_report")[0].authorization
        == SECRETS["ANTHROPIC_ADMIN_API_KEY"]
    )
    _assert_no_secret(tmp_path, caplog.text + "\n".join(lines))


def test_a_second_run_asks_only_for_the_trailing_window_and_new_pages(
    replay: Replay, tmp_path: Path
) -> None:
    _run(tmp_path)
    before = len(replay.requests)
    later = NOW + timedelta(days=1)
    second = _run(tmp_path, now=later, since=None)
    asked = replay.requests[before:]
    assert all(r.status == "extracted" for r in second.values())

    # Usage and cost: the lookback (2 days) before the last window's end, up to now.
    messages = [r for r in asked if r.path == "/v1/organizations/usage_report/messages"]
    assert messages[0].query["starting_at"] == ["2026-11-08T00:00:00Z"]
    assert messages[0].query["ending_at"] == ["2026-11-11T06:00:00Z"]
    spend_days = sorted(r.query["start_date"][0] for r in asked if r.path == "/spend/logs")
    assert spend_days == ["2026-11-08", "2026-11-09", "2026-11-10", "2026-11-11"]

    # Pull requests: one page (it reaches the cursor) and no child, since nothing changed.
    assert len([r for r in asked if r.path == "/repos/acme/app/pulls"]) == 1
    assert not [r for r in asked if r.path.startswith("/repos/acme/app/pulls/")]
    # Jira: updated since the newest issue seen, less a day for the Jira user's time zone.
    jql = next(r for r in asked if r.path == "/rest/api/3/search/jql").body["jql"]
    assert 'updated >= "2026-11-07 10:00"' in jql

    # A PR updated after the cursor is new: only its children are asked for.
    replay.add_pull(42, datetime(2026, 11, 11, 9, tzinfo=UTC))
    before = len(replay.requests)
    _run(tmp_path, now=later + timedelta(hours=1), since=None, names=["github"])
    children = {
        r.path for r in replay.requests[before:] if r.path.startswith("/repos/acme/app/pulls/")
    }
    assert children == {
        f"/repos/acme/app/pulls/42/{kind}" for kind in ("commits", "reviews", "files")
    }
    assert (tmp_path / "landing/github/acme/app/pulls/42/commits").is_dir()


def test_a_killed_run_resumes_without_gaps_or_duplicates(replay: Replay, tmp_path: Path) -> None:
    """A real kill (SIGKILL) of `tokenworth extract` while page 3 of 3 is being served."""
    since = datetime.now(UTC).date() - timedelta(days=5)
    folder = tmp_path / "landing" / "anthropic" / "usage_report_messages"
    # Hold the third page: its cursor is the base64 offset 4 of the replay's 2-record pages.
    page_three = base64.b64encode(b"4").decode()
    replay.hold_path, replay.hold_page = "/v1/organizations/usage_report/messages", page_three
    env = {**os.environ, "TOKENWORTH_WAREHOUSE": str(tmp_path / "w.duckdb")}
    command = [
        sys.executable,
        "-m",
        "orchestration.cli",
        "extract",
        "--source",
        "anthropic/usage_report_messages",
        "--landing",
        str(tmp_path / "landing"),
        "--since",
        since.isoformat(),
    ]
    process = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    deadline = time.time() + 60
    while time.time() < deadline and not any(
        r.query.get("page") == [page_three] for r in replay.requests
    ):
        time.sleep(0.1)
    assert len(list(folder.glob("*.json"))) == 2, process.stdout.read() if process.poll() else ""
    process.send_signal(signal.SIGKILL)
    process.wait(30)
    replay.hold_path = None

    served_before = len(replay.served)
    result = _run(
        tmp_path, now=datetime.now(UTC), since=since, names=["anthropic/usage_report_messages"]
    )
    assert result["anthropic/usage_report_messages"].status == "extracted"
    # The resumed run asked for page 3 only (same request, saved cursor), then stopped.
    resumed = replay.served[served_before:]
    assert len(resumed) == 1
    names = sorted(p.name for p in folder.glob("*.json"))
    assert [n[-10:] for n in names] == ["p0001.json", "p0002.json", "p0003.json"]
    assert len({n.split("_")[0] for n in names}) == 1  # one stream, one delivery
    bodies = [b for path, b in replay.served if path.endswith("/messages")]
    assert sorted(p.read_bytes() for p in folder.glob("*.json")) == sorted(bodies)


def test_a_source_without_credentials_is_skipped_with_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for var in ALL_VARS:
        monkeypatch.delenv(var, raising=False)
    lines: list[str] = []
    results = extract(tmp_path / "landing", tmp_path / "w.duckdb", log=lines.append)
    assert {r.status for r in results} == {"skipped"}
    assert len(lines) == len(SOURCES)
    assert (
        "jira: skipped: set JIRA_EMAIL and JIRA_API_TOKEN and TOKENWORTH_JIRA_JQL"
        " and TOKENWORTH_JIRA_BASE_URL" in lines
    )
    assert not (tmp_path / "landing").exists()


def test_source_config_keeps_secrets_out_of_its_repr() -> None:
    config = config_from_env("openai", {"OPENAI_ADMIN_KEY": SECRETS["OPENAI_ADMIN_KEY"]})
    assert config.is_configured and config.base_url == "https://api.openai.com"
    assert SECRETS["OPENAI_ADMIN_KEY"] not in repr(config)


def test_each_extract_asset_feeds_its_ingest_asset_in_the_nightly_job() -> None:
    """Lineage API -> landing -> raw: the ingest asset of every extracted folder depends on its
    extract asset, PR children wait for the PR pages, and the nightly job holds them all."""
    import dagster as dg

    from orchestration.definitions import defs
    from orchestration.extract.endpoints import ENDPOINTS, extract_key

    graph = defs.resolve_asset_graph()
    job_keys = set(defs.resolve_job_def("nightly").asset_layer.selected_asset_keys)
    for endpoint in ENDPOINTS:
        key = dg.AssetKey(extract_key(endpoint.landing))
        assert key in graph.get(dg.AssetKey(endpoint.landing.asset_key)).parent_keys
        assert key in job_keys
    commits = graph.get(dg.AssetKey(["extract", "raw", "github__pull_commits"]))
    assert dg.AssetKey(["extract", "raw", "github__pulls"]) in commits.parent_keys
