"""Real Claude Code transcripts (marot/spotter, copied into tests/conformance/data):
loaded through the transcript loader, deduplicated per (message.id, requestId), and attributed
to branches. The test recomputes the per-branch token totals itself from the raw JSONL and
joins branches to the repository's git log (task ids), with PRs built from that git log."""

from __future__ import annotations

import csv
import json
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from tests.helpers import CONFORMANCE, dbt, load, query, write_org

SPOTTER = CONFORMANCE / "claude_code_transcripts"
TRANSCRIPTS = SPOTTER / "test" / "fixtures" / "transcripts"
EMAIL = "marco@spotter.example"
COUNTS = ("input_tokens", "cache_read_input_tokens", "cache_creation_input_tokens", "output_tokens")


def _tokens_by_branch_from_raw_jsonl() -> dict[str, tuple[int, int, int, int]]:
    """The conformance README's rule, done independently of the warehouse: per
    (message.id, requestId) keep the line with the largest usage; subagents count too."""
    best: dict[tuple[str, str], tuple[tuple[int, int], str, tuple[int, ...]]] = {}
    for path in sorted(TRANSCRIPTS.rglob("*.jsonl")):
        for line in path.read_text().splitlines():
            record = json.loads(line)
            message = record.get("message") or {}
            usage = message.get("usage")
            if record.get("type") != "assistant" or not usage or not message.get("id"):
                continue
            if message.get("model") == "<synthetic>":
                continue
            counts = tuple(int(usage.get(k) or 0) for k in COUNTS)
            rank = (counts[3], counts[0] + counts[1] + counts[2])
            key = (message["id"], record.get("requestId") or "")
            if key not in best or rank > best[key][0]:
                best[key] = (rank, record.get("gitBranch") or "", counts)
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for _, branch, counts in best.values():
        for i, value in enumerate(counts):
            totals[branch][i] += value
    return {branch: tuple(values) for branch, values in totals.items()}  # type: ignore[misc]


def _git_log() -> list[dict[str, str]]:
    with (SPOTTER / "spotter_git_log.csv").open() as handle:
        return list(csv.DictReader(handle))


def _write_pull_requests_from_git_log(landing: Path, branches: set[str]) -> dict[str, int]:
    """One GitHub-shaped PR per task id that has transcripts, head ref = the task id, with the
    task's commits from the git log as its commits page."""
    by_task: dict[str, list[dict[str, str]]] = defaultdict(list)
    for commit in _git_log():
        if commit["task_id_from_subject"] in branches:
            by_task[commit["task_id_from_subject"]].append(commit)
    numbers = {}
    for number, (task, commits) in enumerate(sorted(by_task.items()), start=1):
        commits.sort(key=lambda c: c["author_date"])
        pulls = landing / "github" / "marot" / "spotter" / "pulls"
        (pulls / str(number) / "commits").mkdir(parents=True, exist_ok=True)
        pr = {
            "number": number,
            "state": "closed",
            "title": commits[-1]["subject"],
            "user": {"login": "marco", "type": "User"},
            "head": {"ref": task, "sha": commits[-1]["sha"]},
            "base": {"ref": "master"},
            "created_at": commits[0]["author_date"],
            "merged_at": commits[-1]["committer_date"],
            "closed_at": commits[-1]["committer_date"],
            "merge_commit_sha": commits[-1]["sha"],
        }
        (pulls / f"{number}.json").write_text(json.dumps(pr))
        page = [
            {
                "sha": c["sha"],
                "commit": {
                    "message": c["subject"],
                    "author": {"name": "marco", "email": EMAIL, "date": c["author_date"]},
                    "committer": {"name": "marco", "email": EMAIL, "date": c["committer_date"]},
                },
                "author": {"login": "marco"},
                "parents": [{"sha": p} for p in c["parents"].split()],
            }
            for c in commits
        ]
        (pulls / str(number) / "commits" / "page_001.json").write_text(json.dumps(page))
        numbers[task] = number
    return numbers


@pytest.fixture(scope="module")
def spotter(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, dict]:
    root = tmp_path_factory.mktemp("spotter")
    landing = root / "landing"
    # The first folder below claude_code_transcripts/ is the person; any depth below it.
    shutil.copytree(TRANSCRIPTS, landing / "claude_code_transcripts" / EMAIL / "spotter")
    expected = _tokens_by_branch_from_raw_jsonl()
    write_org(
        landing,
        people=f"{EMAIL},Marco,spotter,2026-01-01,\n",
        identities=f"{EMAIL},github,marco\n",
    )
    numbers = _write_pull_requests_from_git_log(landing, set(expected))
    warehouse = root / "spotter.duckdb"
    results = load(landing, warehouse)
    assert not any(r.quarantined for r in results)
    dbt(warehouse, "build", "--exclude", "test_type:unit")
    return warehouse, expected, numbers


def test_dedup_matches_the_raw_jsonl_per_branch(spotter: tuple[Path, dict, dict]) -> None:
    warehouse, expected, _ = spotter
    rows = query(
        warehouse,
        "select git_branch, sum(uncached_input_tokens), sum(cache_read_tokens),"
        " sum(cache_write_tokens), sum(output_tokens)"
        " from staging.stg_claude_code_transcripts__api_responses group by 1",
    )
    actual = {branch: tuple(int(v) for v in values) for branch, *values in rows}
    assert set(expected) == {"spotter-dov", "spotter-4te", "master"}
    assert actual == expected


def test_every_transcript_token_reaches_fct_ai_usage_once(
    spotter: tuple[Path, dict, dict],
) -> None:
    warehouse, expected, _ = spotter
    total = tuple(sum(v[i] for v in expected.values()) for i in range(4))
    rows = query(
        warehouse,
        "select sum(uncached_input_tokens), sum(cache_read_tokens), sum(cache_write_tokens),"
        " sum(output_tokens), min(cost_basis), max(cost_basis) from marts.fct_ai_usage",
    )
    # No usage report or analytics cover these days, so the transcripts stand in (estimate).
    assert tuple(int(v) for v in rows[0][:4]) == total
    assert rows[0][4:] == ("estimate", "estimate")


def test_task_branches_join_the_git_log_and_get_their_tokens_explicitly(
    spotter: tuple[Path, dict, dict],
) -> None:
    warehouse, expected, numbers = spotter
    tasks_in_log = {c["task_id_from_subject"] for c in _git_log()}
    assert {"spotter-dov", "spotter-4te"} <= tasks_in_log
    assert set(numbers) == {"spotter-dov", "spotter-4te"}
    for task, number in numbers.items():
        rows = query(
            warehouse,
            "select explicit_tokens, high_confidence_cost_usd > 0 from marts.mart_pr_cost"
            " where pull_request_number = ?",
            [number],
        )
        assert rows == [(sum(expected[task]), True)], task
    # The master branch names no PR: its tokens go to the time window or stay unattributed.
    explicit_total = query(
        warehouse,
        "select sum(total_tokens) from marts.fct_usage_allocation where method = 'explicit'",
    )[0][0]
    assert explicit_total == sum(expected["spotter-dov"]) + sum(expected["spotter-4te"])
