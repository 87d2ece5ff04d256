"""The synthetic organisation generator: vendor shapes, internal consistency, planted facts.

Every check re-derives its expectation from the landing files themselves (or the vendor
examples), never from the generator's internals.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from orchestration.generate import generate
from tests.helpers import CONFORMANCE, EXAMPLES, REPO

PRICES = REPO / "seeds" / "model_prices.csv"
END = dt.date(2026, 11, 27)
TOKENS = ("uncached_input_tokens", "cache_read_tokens", "cache_write_tokens", "output_tokens")


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("landing")
    truth = generate(out, engineers=20, days=21, seed=7, end_date=END)
    return out, truth


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _pages(root: Path, folder: str, pattern: str = "page_*.json") -> list[Any]:
    files = sorted((root / folder).glob(pattern))
    assert files, f"no pages in {folder}"
    return [_load(f) for f in files]


def _example(name: str) -> Any:
    return _load(EXAMPLES / name)


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "number"
    return type(value).__name__


def _same_shape(
    example: Any, ours: Any, where: str, extra_ok: frozenset[str] = frozenset()
) -> None:
    """Same keys at every level, and the same JSON type wherever both sides are non-null."""
    if example is None or ours is None:
        return
    if isinstance(example, dict):
        assert isinstance(ours, dict), where
        missing = set(example) - set(ours)
        extra = set(ours) - set(example) - extra_ok
        assert not missing and not extra, f"{where}: missing {missing}, extra {extra}"
        for key in set(example) & set(ours):
            _same_shape(example[key], ours[key], f"{where}.{key}", extra_ok)
    elif isinstance(example, list):
        assert isinstance(ours, list), where
        if example and ours:
            for item in ours:
                _same_shape(example[0], item, f"{where}[]", extra_ok)
    else:
        expected, got = _kind(example), _kind(ours)
        # a JSON number written as 0.06 may legitimately come out as an integer-valued float
        assert expected == got or ({expected, got} <= {"int", "number"} and expected == "number"), (
            f"{where}: example {expected}, ours {got}"
        )


def _identities(root: Path) -> dict[tuple[str, str], str]:
    return {(r["system"], r["external_id"]): r["email"] for r in _csv(root / "org/identities.csv")}


def _prices() -> list[dict[str, Any]]:
    rows = []
    for r in _csv(PRICES):
        rows.append(
            {
                "model": r["model"],
                "from": dt.date.fromisoformat(r["valid_from"]),
                "to": dt.date.fromisoformat(r["valid_to"]) if r["valid_to"] else dt.date.max,
                "in": Decimal(r["input_usd_per_mtok"]),
                "cr": Decimal(r["cache_read_usd_per_mtok"]),
                "cw": Decimal(r["cache_write_usd_per_mtok"]),
                "out": Decimal(r["output_usd_per_mtok"]),
            }
        )
    return rows


def _price(prices: list[dict[str, Any]], model: str, day: dt.date) -> dict[str, Any]:
    found = [p for p in prices if p["model"] == model and p["from"] <= day < p["to"]]
    assert len(found) == 1, f"{model} has {len(found)} prices on {day}"
    return found[0]


def _all_files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _pulls(root: Path) -> dict[tuple[str, int], dict[str, Any]]:
    found = {}
    for page in sorted(root.glob("github/*/*/pulls/page_*.json")):
        repo = "/".join(page.parts[-4:-2])
        for pr in _load(page):
            found[(repo, pr["number"])] = pr
    return found


def _per_pr(root: Path, repo: str, number: int, what: str) -> list[dict[str, Any]]:
    return _load(root / "github" / repo / "pulls" / str(number) / what / "page_001.json")


# --- determinism -------------------------------------------------------------------------


def test_same_seed_gives_byte_identical_files(
    landing: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    root, _ = landing
    again = tmp_path / "again"
    generate(again, engineers=20, days=21, seed=7, end_date=END)
    assert _all_files(again) == _all_files(root)


def test_other_seed_gives_other_files(landing: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    root, _ = landing
    other = tmp_path / "other"
    generate(other, engineers=20, days=21, seed=8, end_date=END)
    assert _all_files(other)["org/people.csv"] != _all_files(root)["org/people.csv"]


# --- vendor shapes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("folder", "pattern", "example"),
    [
        ("anthropic/usage_report_messages", "page_*.json", "anthropic_usage_messages.json"),
        ("anthropic/cost_report", "page_*.json", "anthropic_cost_report.json"),
        ("anthropic/claude_code", "*_page_*.json", "claude_code_analytics.json"),
        ("openai/usage_completions", "page_*.json", "openai_usage_completions.json"),
        ("openai/costs", "page_*.json", "openai_costs.json"),
    ],
)
def test_api_pages_have_the_vendor_shape(
    landing: tuple[Path, dict[str, Any]], folder: str, pattern: str, example: str
) -> None:
    root, _ = landing
    reference = _example(example)
    for page in _pages(root, folder, pattern):
        _same_shape(reference, page, folder)
    if folder == "openai/costs":  # the result-object example shows line_item/quantity filled
        result = _pages(root, folder)[0]["data"][0]["results"][0]
        # (that object example predates api_key_id, which the page example has)
        _same_shape(
            _example("openai_costs_result_object.json"), result, folder, frozenset({"api_key_id"})
        )


def test_github_pages_have_the_vendor_shape(landing: tuple[Path, dict[str, Any]]) -> None:
    root, _ = landing
    pulls = _pulls(root)
    assert pulls
    for (repo, number), pr in pulls.items():
        _same_shape(_example("github_pulls.json")[0], pr, f"{repo}#{number}")
        _same_shape(
            _example("github_pull_commits.json"), _per_pr(root, repo, number, "commits"), "commits"
        )
        reviews = _per_pr(root, repo, number, "reviews")
        _same_shape(_example("github_pull_reviews.json"), reviews, "reviews")
        assert all(r["user"]["login"] != pr["user"]["login"] for r in reviews)
        assert all(r["state"] in {"APPROVED", "CHANGES_REQUESTED", "COMMENTED"} for r in reviews)
        assert [r["submitted_at"] for r in reviews] == sorted(r["submitted_at"] for r in reviews)
        if reviews:  # opened -> first review -> merged, in that order
            assert pr["created_at"] <= reviews[0]["submitted_at"]
            assert pr["merged_at"] is None or reviews[-1]["submitted_at"] <= pr["merged_at"]
        for changed in _per_pr(root, repo, number, "files"):
            assert {"sha", "filename", "status", "additions", "deletions", "changes"} <= set(
                changed
            )
            assert changed["changes"] == changed["additions"] + changed["deletions"]


def test_jira_pages_have_the_vendor_shape(landing: tuple[Path, dict[str, Any]]) -> None:
    root, _ = landing
    transitions = set()
    example_issue = _example("jira_search_jql.json")["issues"][0]
    example_history = _example("jira_issue_changelog.json")["values"][0]
    for page in _pages(root, "jira/issues"):
        assert set(page) <= {"issues", "nextPageToken", "isLast"} and "total" not in page
        for issue in page["issues"]:
            assert set(example_issue) <= set(issue) and set(issue) - set(example_issue) == {
                "changelog"
            }
            fields = issue["fields"]
            for key in (
                "summary",
                "issuetype",
                "status",
                "created",
                "updated",
                "resolutiondate",
                "assignee",
                "reporter",
                "priority",
                "project",
                "labels",
                "issuelinks",
            ):
                assert key in fields, key
            assert fields["status"]["statusCategory"]["key"] in {"new", "indeterminate", "done"}
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000", fields["created"])
            for history in issue["changelog"]["histories"]:
                _same_shape(
                    {k: example_history[k] for k in ("id", "created", "items")},
                    {k: history[k] for k in ("id", "created", "items")},
                    "history",
                )
                assert history["author"]["accountId"]
                transitions.add(
                    (history["items"][0]["fromString"], history["items"][0]["toString"])
                )
            for link in fields["issuelinks"]:
                assert ("inwardIssue" in link) != ("outwardIssue" in link)
                assert {"name", "inward", "outward"} <= set(link["type"])
    statuses = {"To Do", "In Progress", "In Review", "Done"}
    assert {s for t in transitions for s in t} == statuses
    assert ("Done", "In Progress") in transitions  # reopened tickets


def test_transcript_lines_have_the_real_shape(landing: tuple[Path, dict[str, Any]]) -> None:
    root, _ = landing
    real = CONFORMANCE / "claude_code_transcripts/test/fixtures/transcripts/short.jsonl"
    real_assistant = next(
        line
        for line in map(json.loads, real.read_text().splitlines())
        if line["type"] == "assistant"
    )
    common = {
        "parentUuid",
        "isSidechain",
        "userType",
        "cwd",
        "sessionId",
        "version",
        "gitBranch",
        "type",
        "uuid",
        "timestamp",
    }
    files = sorted(root.glob("claude_code_transcripts/**/*.jsonl"))
    assert files
    for path in files[:50]:
        for line in map(json.loads, path.read_text().splitlines()):
            assert common <= set(line)
            if line["type"] == "assistant":
                assert set(real_assistant) == set(line) - {"agentId"}
                assert set(real_assistant["message"]) == set(line["message"])
                assert set(line["message"]["usage"]) >= {
                    "input_tokens",
                    "cache_creation_input_tokens",
                    "cache_read_input_tokens",
                    "output_tokens",
                }
            if "subagents" in path.parts:
                assert line["isSidechain"] is True and line["agentId"]


# --- pagination ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "folder",
    [
        "anthropic/usage_report_messages",
        "anthropic/cost_report",
        "openai/usage_completions",
        "openai/costs",
    ],
)
def test_bucket_pages_chain(landing: tuple[Path, dict[str, Any]], folder: str) -> None:
    root, truth = landing
    pages = _pages(root, folder)
    assert len(pages) == 3  # 21 days, 7 buckets per page
    for i, page in enumerate(pages):
        last = i == len(pages) - 1
        assert page["has_more"] is (not last)
        assert (page["next_page"] is None) is last
        assert len(page["data"]) == 7
    assert len({p["next_page"] for p in pages[:-1]}) == len(pages) - 1
    starts = [b.get("starting_at", b.get("start_time")) for p in pages for b in p["data"]]
    if folder.startswith("openai"):
        days = [dt.datetime.fromtimestamp(s, dt.UTC).date() for s in starts]
    else:
        days = [dt.date.fromisoformat(s[:10]) for s in starts]
    start = dt.date.fromisoformat(truth["params"]["start_date"])
    assert days == [start + dt.timedelta(days=i) for i in range(21)]


def test_claude_code_and_jira_pages_chain(landing: tuple[Path, dict[str, Any]]) -> None:
    root, _ = landing
    by_day: dict[str, list[Path]] = defaultdict(list)
    for path in sorted((root / "anthropic/claude_code").glob("*.json")):
        by_day[path.name[:10]].append(path)
    assert len(by_day) == 21
    for paths in by_day.values():
        pages = [_load(p) for p in paths]
        for i, page in enumerate(pages):
            last = i == len(pages) - 1
            assert page["has_more"] is (not last) and (page["next_page"] is None) is last
    jira = _pages(root, "jira/issues")
    assert len(jira) >= 2
    for i, page in enumerate(jira):
        last = i == len(jira) - 1
        assert page["isLast"] is last
        assert ("nextPageToken" in page) is (not last)
    keys = [issue["key"] for page in jira for issue in page["issues"]]
    assert len(keys) == len(set(keys))


# --- money and tokens agree across sources -------------------------------------------------


def test_anthropic_cost_report_is_the_priced_usage_report(
    landing: tuple[Path, dict[str, Any]],
) -> None:
    root, _ = landing
    prices = _prices()
    expected: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    columns = {
        "uncached_input_tokens": ("in", lambda r: r["uncached_input_tokens"]),
        "output_tokens": ("out", lambda r: r["output_tokens"]),
        "cache_read_input_tokens": ("cr", lambda r: r["cache_read_input_tokens"]),
        "cache_creation.ephemeral_5m_input_tokens": (
            "cw",
            lambda r: r["cache_creation"]["ephemeral_5m_input_tokens"],
        ),
    }
    for page in _pages(root, "anthropic/usage_report_messages"):
        for bucket in page["data"]:
            day = bucket["starting_at"][:10]
            for r in bucket["results"]:
                assert r["cache_creation"]["ephemeral_1h_input_tokens"] == 0
                price = _price(prices, r["model"], dt.date.fromisoformat(day))
                for token_type, (col, get) in columns.items():
                    if get(r):  # cents = tokens x USD per Mtok x 100 / 1e6
                        expected[(day, r["model"], token_type)] += get(r) * price[col] / 10000
    billed = {}
    for page in _pages(root, "anthropic/cost_report"):
        for bucket in page["data"]:
            for r in bucket["results"]:
                assert isinstance(r["amount"], str) and r["currency"] == "USD"
                billed[(bucket["starting_at"][:10], r["model"], r["token_type"])] = Decimal(
                    r["amount"]
                )
    assert billed == dict(expected)


def test_openai_costs_are_the_priced_usage(landing: tuple[Path, dict[str, Any]]) -> None:
    root, _ = landing
    prices = _prices()
    expected: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for page in _pages(root, "openai/usage_completions"):
        for bucket in page["data"]:
            day = dt.datetime.fromtimestamp(bucket["start_time"], dt.UTC).date()
            for r in bucket["results"]:
                assert r["input_tokens"] == (
                    r["input_cached_tokens"]
                    + r["input_cache_write_tokens"]
                    + r["input_uncached_tokens"]
                )
                p = _price(prices, r["model"], day)
                expected[(day.isoformat(), r["model"])] += (
                    r["input_uncached_tokens"] * p["in"]
                    + r["input_cache_write_tokens"] * p["cw"]
                    + r["input_cached_tokens"] * p["cr"]
                    + r["output_tokens"] * p["out"]
                ) / 1_000_000
    billed: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for page in _pages(root, "openai/costs"):
        for bucket in page["data"]:
            day = dt.datetime.fromtimestamp(bucket["start_time"], dt.UTC).date().isoformat()
            for r in bucket["results"]:
                assert r["amount"]["currency"] == "usd"
                model = r["line_item"].split(", ")[0]
                billed[(day, model)] += Decimal(str(r["amount"]["value"]))
    assert billed.keys() == expected.keys()
    for key, value in expected.items():
        assert abs(billed[key] - value) < Decimal("1e-9") * max(1, value), key


def _transcript_tokens(root: Path) -> dict[tuple[str, str, str], list[int]]:
    """Deduplicate streamed lines per (message.id, requestId), keeping the largest usage."""
    best: dict[tuple[str, str], tuple[int, str, str, str, dict[str, int]]] = {}
    for path in root.glob("claude_code_transcripts/**/*.jsonl"):
        email = path.relative_to(root / "claude_code_transcripts").parts[0]
        for line in map(json.loads, path.read_text().splitlines()):
            if line["type"] != "assistant":
                continue
            usage, message = line["message"]["usage"], line["message"]
            key = (message["id"], line["requestId"])
            size = sum(
                usage[k]
                for k in (
                    "input_tokens",
                    "cache_creation_input_tokens",
                    "cache_read_input_tokens",
                    "output_tokens",
                )
            )
            if key not in best or size > best[key][0]:
                best[key] = (size, email, line["timestamp"][:10], message["model"], usage)
    totals: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for _, email, day, model, usage in best.values():
        t = totals[(email, day, model)]
        t[0] += usage["input_tokens"]
        t[1] += usage["output_tokens"]
        t[2] += usage["cache_read_input_tokens"]
        t[3] += usage["cache_creation_input_tokens"]
    return totals


def _claude_code_records(root: Path) -> list[dict[str, Any]]:
    return [r for page in _pages(root, "anthropic/claude_code", "*.json") for r in page["data"]]


def test_claude_code_analytics_equals_deduplicated_transcripts(
    landing: tuple[Path, dict[str, Any]],
) -> None:
    root, truth = landing
    synced = set(truth["transcript_people"])
    analytics = {}
    for record in _claude_code_records(root):
        email = record["actor"]["email_address"]
        if email in synced:
            for m in record["model_breakdown"]:
                t = m["tokens"]
                analytics[(email, record["date"][:10], m["model"])] = [
                    t["input"],
                    t["output"],
                    t["cache_read"],
                    t["cache_creation"],
                ]
    transcripts = _transcript_tokens(root)
    assert analytics and dict(transcripts) == analytics


def test_usage_report_contains_api_claude_code(landing: tuple[Path, dict[str, Any]]) -> None:
    root, _ = landing
    owner = _identities(root)
    ledger: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for page in _pages(root, "anthropic/usage_report_messages"):
        for bucket in page["data"]:
            for r in bucket["results"]:
                email = owner.get(("anthropic_api_key", r["api_key_id"]))
                if email:
                    t = ledger[(email, bucket["starting_at"][:10], r["model"])]
                    t[0] += r["uncached_input_tokens"]
                    t[1] += r["output_tokens"]
                    t[2] += r["cache_read_input_tokens"]
                    t[3] += r["cache_creation"]["ephemeral_5m_input_tokens"]
    customers = {"api": 0, "subscription": 0}
    for record in _claude_code_records(root):
        customers[record["customer_type"]] += 1
        if record["customer_type"] != "api":
            continue
        for m in record["model_breakdown"]:
            t = m["tokens"]
            telemetry = [t["input"], t["output"], t["cache_read"], t["cache_creation"]]
            key = (record["actor"]["email_address"], record["date"][:10], m["model"])
            assert all(a >= b for a, b in zip(ledger[key], telemetry, strict=True)), key
    assert customers["api"] and customers["subscription"]


def test_ground_truth_usage_tokens_match_the_files(landing: tuple[Path, dict[str, Any]]) -> None:
    root, truth = landing
    owner = _identities(root)
    found: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    unowned: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for page in _pages(root, "anthropic/usage_report_messages"):
        for bucket in page["data"]:
            for r in bucket["results"]:
                email = owner.get(("anthropic_api_key", r["api_key_id"]))
                day = bucket["starting_at"][:10]
                t = (
                    found[(email, "anthropic", day)]
                    if email
                    else unowned[("anthropic", r["api_key_id"], day)]
                )
                cache = r["cache_creation"]
                for i, v in enumerate(
                    [
                        r["uncached_input_tokens"],
                        r["cache_read_input_tokens"],
                        cache["ephemeral_5m_input_tokens"] + cache["ephemeral_1h_input_tokens"],
                        r["output_tokens"],
                    ]
                ):
                    t[i] += v
    for record in _claude_code_records(root):
        if record["customer_type"] == "subscription":
            for m in record["model_breakdown"]:
                t = found[(record["actor"]["email_address"], "anthropic", record["date"][:10])]
                tok = m["tokens"]
                for i, v in enumerate(
                    [tok["input"], tok["cache_read"], tok["cache_creation"], tok["output"]]
                ):
                    t[i] += v
    for page in _pages(root, "openai/usage_completions"):
        for bucket in page["data"]:
            day = dt.datetime.fromtimestamp(bucket["start_time"], dt.UTC).date().isoformat()
            for r in bucket["results"]:
                email = owner.get(("openai_api_key", r["api_key_id"]))
                assert (email is None) == (r["user_id"] is None)
                t = (
                    found[(email, "openai", day)]
                    if email
                    else unowned[("openai", r["api_key_id"], day)]
                )
                uncached = (
                    r["input_tokens"] - r["input_cached_tokens"] - r["input_cache_write_tokens"]
                )
                for i, v in enumerate(
                    [
                        uncached,
                        r["input_cached_tokens"],
                        r["input_cache_write_tokens"],
                        r["output_tokens"],
                    ]
                ):
                    t[i] += v
    planted = {
        (u["email"], u["provider"], u["date"]): [u[k] for k in TOKENS]
        for u in truth["usage_tokens"]
    }
    assert planted == dict(found)
    planted_unowned = {
        (u["provider"], u["api_key_id"], u["date"]): [u[k] for k in TOKENS]
        for u in truth["unowned_usage_tokens"]
    }
    assert planted_unowned == dict(unowned)
    assert {k[0] for k in unowned} == {"anthropic", "openai"}
    # Unowned keys belong to no person; the one gateway key is listed (gateway_api_key) only so
    # its usage can be split by the gateway's own logs.
    person_keys = {e for (system, e) in owner if system != "gateway_api_key"}
    assert not any(key_id in person_keys for (_, key_id, _) in unowned)
    assert ("anthropic", truth["gateway_api_key"]) in {(p, k) for (p, k, _) in unowned}


# --- planted facts ------------------------------------------------------------------------


def test_pull_request_counts_match_the_pulls_pages(landing: tuple[Path, dict[str, Any]]) -> None:
    root, truth = landing
    counted: dict[str, dict[str, int]] = defaultdict(
        lambda: {"merged": 0, "closed_unmerged": 0, "open": 0}
    )
    for (repo, _), pr in _pulls(root).items():
        if pr["merged_at"]:
            counted[repo]["merged"] += 1
            assert pr["state"] == "closed" and pr["closed_at"]
        elif pr["state"] == "closed":
            counted[repo]["closed_unmerged"] += 1
            assert pr["closed_at"] and pr["merge_commit_sha"]
        else:
            counted[repo]["open"] += 1
            assert pr["closed_at"] is None
    counts = truth["pull_request_counts"]
    assert counts["by_repo"] == dict(counted)
    assert counts["overall"] == {
        k: sum(c[k] for c in counted.values()) for k in ("merged", "closed_unmerged", "open")
    }
    assert len(counted) >= 3
    assert all(v > 0 for v in counts["overall"].values())


def test_planted_pull_requests_exist(landing: tuple[Path, dict[str, Any]]) -> None:
    root, truth = landing
    pulls = _pulls(root)
    marker_text = {
        "co_authored_by_claude": re.compile(
            r"(?im)^co-authored-by:\s*claude\b.*<noreply@anthropic\.com>"
        ),
        "generated_with_claude_code": re.compile(r"Generated with \[Claude Code\]"),
        "made_with_cursor": re.compile(r"(?m)^Made-with: Cursor$"),
    }
    assert truth["ai_assisted_prs"]
    for item in truth["ai_assisted_prs"]:
        assert (item["repo"], item["number"]) in pulls
        messages = {
            c["sha"]: c["commit"]["message"]
            for c in _per_pr(root, item["repo"], item["number"], "commits")
        }
        for marker in item["markers"]:
            assert any(marker_text[marker].search(messages[s]) for s in item["commit_shas"])
    agents = {a["agent"] for a in truth["agent_prs"]}
    assert agents == {"copilot", "devin"}
    for item in truth["agent_prs"]:
        pr = pulls[(item["repo"], item["number"])]
        assert pr["user"]["type"] == "Bot" and pr["user"]["login"] == item["login"]
        commits = _per_pr(root, item["repo"], item["number"], "commits")
        assert all(c["author"]["type"] == "Bot" for c in commits)
        assert all(f"<{item['co_author_email']}>" in c["commit"]["message"] for c in commits)
        if item["agent"] == "copilot":
            assert pr["head"]["ref"].startswith("copilot/")
    assert truth["reverts"]
    for item in truth["reverts"]:
        revert, original = (
            pulls[(item["repo"], item[k])] for k in ("revert_number", "reverted_number")
        )
        assert revert["title"] == f'Revert "{original["title"]}"'
        assert revert["body"] == f"Reverts {item['repo']}#{item['reverted_number']}"
        message = _per_pr(root, item["repo"], item["revert_number"], "commits")[0]["commit"][
            "message"
        ]
        assert message.endswith(f"This reverts commit {original['merge_commit_sha']}.")
        merged = [dt.datetime.fromisoformat(pr["merged_at"]) for pr in (original, revert)]
        assert dt.timedelta(0) < merged[1] - merged[0] <= dt.timedelta(days=21)


def test_planted_bug_links_exist(landing: tuple[Path, dict[str, Any]]) -> None:
    root, truth = landing
    pulls = _pulls(root)
    issues = {i["key"]: i for p in _pages(root, "jira/issues") for i in p["issues"]}
    assert truth["bug_links"]
    assert any(b["fix_pr"] for b in truth["bug_links"])
    for bug in truth["bug_links"]:
        issue = issues[bug["bug_key"]]
        assert issue["fields"]["issuetype"]["name"] == "Bug"
        linked = {
            link.get("inwardIssue", link.get("outwardIssue"))["key"]
            for link in issue["fields"]["issuelinks"]
        }
        assert bug["original_ticket_key"] in linked
        original = pulls[(bug["original_pr"]["repo"], bug["original_pr"]["number"])]
        assert original["title"].startswith(bug["original_ticket_key"] + ":")
        created = dt.datetime.strptime(issue["fields"]["created"], "%Y-%m-%dT%H:%M:%S.%f%z")
        merged = dt.datetime.fromisoformat(original["merged_at"])
        assert dt.timedelta(0) < created - merged <= dt.timedelta(days=30)
        if bug["fix_pr"]:
            fix = pulls[(bug["fix_pr"]["repo"], bug["fix_pr"]["number"])]
            assert fix["head"]["ref"].startswith(f"bugfix/{bug['bug_key']}-")
            assert bug["bug_key"] in fix["title"]
            files = [
                {f["filename"] for f in _per_pr(root, repo, n, "files")}
                for repo, n in (
                    (bug["original_pr"]["repo"], bug["original_pr"]["number"]),
                    (bug["fix_pr"]["repo"], bug["fix_pr"]["number"]),
                )
            ]
            assert sorted(files[0] & files[1]) == bug["fix_pr"]["shared_files"] != []


def test_planted_people_budget_and_retries(landing: tuple[Path, dict[str, Any]]) -> None:
    root, truth = landing
    people = _csv(root / "org/people.csv")
    teams: dict[str, set[str]] = defaultdict(set)
    for row in people:
        if not row["valid_to"]:
            teams[row["team"]].add(row["email"])
    assert len(teams["security"]) == 3 and len(teams["ai-lab"]) >= 5
    assert all(len(members) >= 5 for team, members in teams.items() if team != "security")
    assert set(truth["token_maxxers"]["emails"]) == teams["ai-lab"]
    movers = defaultdict(list)
    for row in people:
        movers[row["email"]].append(row)
    moved = [rows for rows in movers.values() if len(rows) == 2]
    assert moved and all(a["valid_to"] == b["valid_from"] for a, b in moved)
    maxxers = truth["token_maxxers"]
    assert 8 <= maxxers["spend_ratio_vs_median"] <= 12
    assert maxxers["merged_prs_per_person"] <= maxxers["other_merged_prs_per_person"]
    budget = truth["budget_exhaustion"]
    budgets = _csv(root / "org/budgets.csv")
    assert {
        k: budget[k]
        for k in ("scope", "scope_id", "kind", "period_start", "period_end", "amount", "currency")
    } in budgets
    end = dt.date.fromisoformat(truth["params"]["end_date"])
    assert dt.date.fromisoformat(budget["exhausted_on"]) <= end - dt.timedelta(days=7)
    assert {r["kind"] for r in budgets} == {"budget", "allowance"}
    assert {r["scope"] for r in budgets} == {"org", "team", "person"}
    assert len(truth["retry_loops"]) >= 3
    for loop in truth["retry_loops"]:
        lines = [
            json.loads(line)
            for path in root.glob(
                f"claude_code_transcripts/{loop['email']}/*/{loop['session_id']}.jsonl"
            )
            for line in path.read_text().splitlines()
        ]
        burst = {
            (line["message"]["id"], line["requestId"]): line["timestamp"]
            for line in lines
            if line["type"] == "assistant"
            and loop["start"][:19] <= line["timestamp"][:19] <= loop["end"][:19] + "Z"
            and line["message"]["usage"]["input_tokens"] == loop["input_tokens"]
        }
        assert len(burst) >= 5
        span = [dt.datetime.fromisoformat(t) for t in burst.values()]
        assert max(span) - min(span) <= dt.timedelta(minutes=2)


def test_usage_without_open_pr_matches_the_files(landing: tuple[Path, dict[str, Any]]) -> None:
    root, truth = landing
    login_to_email = {k[1]: e for k, e in _identities(root).items() if k[0] == "github"}
    end = dt.date.fromisoformat(truth["params"]["end_date"])
    open_days: set[tuple[str, str]] = set()
    for (repo, number), pr in _pulls(root).items():
        email = login_to_email.get(pr["user"]["login"])
        if not email:
            continue  # bots
        commits = _per_pr(root, repo, number, "commits")
        first = min(dt.date.fromisoformat(c["commit"]["author"]["date"][:10]) for c in commits)
        last = dt.date.fromisoformat(pr["closed_at"][:10]) if pr["closed_at"] else end
        for i in range((last - first).days + 1):
            open_days.add((email, (first + dt.timedelta(days=i)).isoformat()))
    used = {(u["email"], u["date"]) for u in truth["usage_tokens"]}
    expected = sorted(used - open_days)
    assert [(u["email"], u["date"]) for u in truth["usage_without_open_pr"]] == expected
    assert expected


def test_sessions_name_open_pr_branches(landing: tuple[Path, dict[str, Any]]) -> None:
    """A session's gitBranch is a PR its person has open that day (mostly) or main."""
    root, truth = landing
    pulls = _pulls(root)
    login_to_email = {k[1]: e for k, e in _identities(root).items() if k[0] == "github"}
    open_by_day: dict[tuple[str, str], set[str]] = defaultdict(set)
    end = dt.date.fromisoformat(truth["params"]["end_date"])
    for (repo, number), pr in pulls.items():
        email = login_to_email.get(pr["user"]["login"])
        commits = _per_pr(root, repo, number, "commits")
        first = min(dt.date.fromisoformat(c["commit"]["author"]["date"][:10]) for c in commits)
        last = dt.date.fromisoformat(pr["closed_at"][:10]) if pr["closed_at"] else end
        for i in range((last - first).days + 1):
            open_by_day[(email, (first + dt.timedelta(days=i)).isoformat())].add(pr["head"]["ref"])
    with_open_pr, on_branch = 0, 0
    for path in root.glob("claude_code_transcripts/*/*/*.jsonl"):
        first_line = json.loads(path.read_text().splitlines()[0])
        email = path.relative_to(root / "claude_code_transcripts").parts[0]
        branches = open_by_day.get((email, first_line["timestamp"][:10]), set())
        branch = first_line["gitBranch"]
        assert branch == "main" or branch in branches
        if branches:
            with_open_pr += 1
            on_branch += branch != "main"
    assert on_branch > 0.6 * with_open_pr > 0


def test_returned_truth_is_the_written_file(landing: tuple[Path, dict[str, Any]]) -> None:
    root, truth = landing
    assert _load(root / "ground_truth.json") == truth
    assert set(truth) >= {
        "params", "token_maxxers", "ai_assisted_prs", "agent_prs", "pull_request_counts",
        "reverts", "bug_links", "budget_exhaustion", "retry_loops", "usage_without_open_pr",
        "usage_tokens", "unowned_usage_tokens",
    }  # fmt: skip


def test_too_small_an_organisation_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="engineers must be at least 13"):
        generate(tmp_path, engineers=12, days=7, end_date=END)


def test_models_fall_back_when_not_yet_priced(tmp_path: Path) -> None:
    """Before claude-opus-5 / claude-sonnet-5-5 existed, their tiers use older models."""
    truth = generate(tmp_path, engineers=13, days=7, seed=3, end_date=dt.date(2026, 5, 10))
    prices = _prices()
    seen = set()
    for page in _pages(tmp_path, "anthropic/usage_report_messages"):
        for bucket in page["data"]:
            for r in bucket["results"]:
                _price(prices, r["model"], dt.date.fromisoformat(bucket["starting_at"][:10]))
                seen.add(r["model"])
    assert "claude-opus-5" not in seen and "claude-sonnet-5-5" not in seen
    assert "claude-sonnet-4-5-20250929" in seen
    assert truth["params"]["start_date"] == "2026-05-04"


# --- Copilot, Cursor, LiteLLM, FOCUS --------------------------------------------------------

FOCUS_12_COLUMNS = [
    "AvailabilityZone", "BilledCost", "BillingAccountId", "BillingAccountName",
    "BillingAccountType", "BillingCurrency", "BillingPeriodEnd", "BillingPeriodStart",
    "CapacityReservationId", "CapacityReservationStatus", "ChargeCategory", "ChargeClass",
    "ChargeDescription", "ChargeFrequency", "ChargePeriodEnd", "ChargePeriodStart",
    "CommitmentDiscountCategory", "CommitmentDiscountId", "CommitmentDiscountName",
    "CommitmentDiscountQuantity", "CommitmentDiscountStatus", "CommitmentDiscountType",
    "CommitmentDiscountUnit", "ConsumedQuantity", "ConsumedUnit", "ContractedCost",
    "ContractedUnitPrice", "EffectiveCost", "InvoiceId", "InvoiceIssuerName", "ListCost",
    "ListUnitPrice", "PricingCategory", "PricingCurrency", "PricingCurrencyContractedUnitPrice",
    "PricingCurrencyEffectiveCost", "PricingCurrencyListUnitPrice", "PricingQuantity",
    "PricingUnit", "ProviderName", "PublisherName", "RegionId", "RegionName", "ResourceId",
    "ResourceName", "ResourceType", "ServiceCategory", "ServiceName", "ServiceSubcategory",
    "SkuId", "SkuMeter", "SkuPriceDetails", "SkuPriceId", "SubAccountId", "SubAccountName",
    "SubAccountType", "Tags",
]  # fmt: skip
FOCUS_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def _same_keys(example: Any, ours: Any, where: str) -> None:
    """Same keys at every level and the same JSON kind where both are non-null, with a JSON
    number's int/float spelling free (JavaScript writes 5 and 1.4 for the same field)."""

    def kind(value: Any) -> str:
        if isinstance(value, bool):
            return "bool"
        return "number" if isinstance(value, int | float | Decimal) else type(value).__name__

    if example is None or ours is None:
        return
    if isinstance(example, dict):
        assert isinstance(ours, dict), where
        assert set(example) == set(ours), f"{where}: {set(example) ^ set(ours)}"
        for key in example:
            _same_keys(example[key], ours[key], f"{where}.{key}")
    elif isinstance(example, list):
        assert isinstance(ours, list), where
        for item in ours if example else []:
            _same_keys(example[0], item, f"{where}[]")
    else:
        assert kind(example) == kind(ours), f"{where}: {kind(example)} vs {kind(ours)}"


def _copilot_lines(root: Path) -> list[tuple[str, dict[str, Any]]]:
    files = sorted((root / "github_copilot/users").glob("*.ndjson"))
    assert files
    return [(f.stem, json.loads(line)) for f in files for line in f.read_text().splitlines()]


def _spend_logs(root: Path) -> list[dict[str, Any]]:
    """Every SpendLogs row, from the JSON days and the CSV export (parsed back to JSON types)."""
    found = []
    for path in sorted((root / "litellm/spend_logs").glob("*.json")):
        found += _load(path)
    for path in sorted((root / "litellm/spend_logs").glob("export_*.csv")):
        for row in _csv(path):
            for key in ("metadata", "request_tags", "messages", "response", "proxy_server_request"):
                row[key] = json.loads(row[key])
            for key in ("total_tokens", "prompt_tokens", "completion_tokens"):
                row[key] = int(row[key])
            row["spend"] = float(row["spend"])
            found.append(row)
    return found


def _log_time(value: str) -> dt.datetime:
    """A SpendLogs timestamp, JSON (`...+00:00`) or CSV (Postgres, UTC without a zone)."""
    parsed = dt.datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def test_copilot_files_have_the_vendor_shape(landing: tuple[Path, dict[str, Any]]) -> None:
    root, truth = landing
    seat_example = _example("copilot_seats.json")
    pages = _pages(root, "github_copilot/seats")
    seats = [s for page in pages for s in page["seats"]]
    for page in pages:
        assert set(page) == set(seat_example) and len(page["seats"]) <= 100
        assert page["total_seats"] == len(seats) == truth["copilot_seat_count"]
    for seat in seats:
        _same_shape(seat_example["seats"][0], seat, "seat")
        assert seat["plan_type"] in {"business", "enterprise"}
    logins = {k[1] for k in _identities(root) if k[0] == "github"}
    assert {s["assignee"]["login"] for s in seats} <= logins
    start = dt.datetime.fromisoformat(truth["params"]["start_date"] + "T00:00:00+00:00")
    assert all(dt.datetime.fromisoformat(s["created_at"]) < start for s in seats)

    line_example = _example("copilot_usage_metrics_user_level.json")[0]
    active: set[str] = set()
    for day, line in _copilot_lines(root):
        _same_shape(line_example, line, "copilot user line")
        assert line["day"] == day == line["day_partition"]
        assert line["user_login"] in logins
        active.add(line["user_login"])
        for key in ("code_generation_activity_count", "loc_added_sum", "loc_suggested_to_add_sum"):
            assert line[key] == sum(f[key] for f in line["totals_by_feature"]) > 0
        cli = line["totals_by_cli"]
        assert line["used_cli"] == (cli["request_count"] > 0)
    idle = set(truth["copilot_idle_seat_logins"])
    login_to_email = {k[1]: e for k, e in _identities(root).items() if k[0] == "github"}
    assert sorted(login_to_email[login] for login in idle) == truth["copilot_idle_seats"]
    seat_logins = {s["assignee"]["login"] for s in seats}
    assert idle and idle <= seat_logins and not idle & active
    assert active == seat_logins - idle  # every other seat holder used Copilot in the period
    for seat in seats:
        if seat["assignee"]["login"] in idle and seat["last_activity_at"]:
            assert dt.datetime.fromisoformat(seat["last_activity_at"]) < start
    assert any(s["pending_cancellation_date"] for s in seats)


def test_cursor_pages_have_the_vendor_shape(landing: tuple[Path, dict[str, Any]]) -> None:
    root, truth = landing
    example = _example("cursor_usage_events.json")
    token_event, included_event = example["usageEvents"][0], example["usageEvents"][2]
    pages = _pages(root, "cursor/usage_events")
    events = [e for page in pages for e in page["usageEvents"]]
    for i, page in enumerate(pages):
        _same_keys({**example, "usageEvents": []}, {**page, "usageEvents": []}, "events page")
        assert page["totalUsageEventsCount"] == len(events)
        assert page["pagination"] == {
            "numPages": len(pages), "currentPage": i + 1, "pageSize": 100,
            "hasNextPage": i < len(pages) - 1, "hasPreviousPage": i > 0,
        }  # fmt: skip
    for event in events:
        _same_keys(token_event if event["isTokenBasedCall"] else included_event, event, "event")
        assert isinstance(event["timestamp"], str) and event["timestamp"].isdigit()
        assert event["kind"] in {"Usage-based", "Included in Business"}
    stamps = [int(e["timestamp"]) for e in events]
    assert stamps == sorted(stamps, reverse=True)
    assert {e["userEmail"] for e in events} <= set(truth["cursor_users"])

    commits_example = _example("cursor_ai_code_commits.json")
    pages = _pages(root, "cursor/ai_code_commits")
    items = [item for page in pages for item in page["items"]]
    for i, page in enumerate(pages):
        _same_keys({**commits_example, "items": []}, {**page, "items": []}, "commits page")
        assert (page["page"], page["pageSize"], page["totalCount"]) == (i + 1, 100, len(items))
    for item in items:
        _same_keys(commits_example["items"][0], item, "ai code commit")
        assert item["totalLinesAdded"] == sum(
            item[k] for k in ("tabLinesAdded", "composerLinesAdded", "nonAiLinesAdded")
        )
        assert item["isPrimaryBranch"] is False and re.fullmatch(
            r"[0-9a-f]{40}", item["commitHash"]
        )


def test_cursor_cost_truth_is_the_events_arithmetic(landing: tuple[Path, dict[str, Any]]) -> None:
    root, truth = landing
    cost: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    count: dict[tuple[str, str], int] = defaultdict(int)
    noisy = 0
    for path in sorted((root / "cursor/usage_events").glob("page_*.json")):
        page = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
        for event in page["usageEvents"]:
            day = dt.datetime.fromtimestamp(int(event["timestamp"]) / 1000, dt.UTC).date()
            key = (event["userEmail"], day.isoformat())
            cents = Decimal(event.get("tokenUsage", {}).get("totalCents", 0))
            cost[key] += (cents + Decimal(event["cursorTokenFee"])) / 100
            count[key] += 1
            noisy += len(str(cents).partition(".")[2]) > 12
            assert ("tokenUsage" in event) == event["isTokenBasedCall"]
    assert noisy  # float cents such as 16.348860000000002 are delivered as they are
    planted = {(r["email"], r["date"]): r for r in truth["cursor_cost_usd_by_person_day"]}
    assert set(planted) == set(cost)
    for key, row in planted.items():
        assert Decimal(row["cost_usd"]) == cost[key], key
        assert row["events"] == count[key]
    assert sum(cost.values()) > 0


def test_cursor_commits_are_generated_pr_commits(landing: tuple[Path, dict[str, Any]]) -> None:
    root, truth = landing
    pulls = _pulls(root)
    login_to_email = {k[1]: e for k, e in _identities(root).items() if k[0] == "github"}
    items = [i for page in _pages(root, "cursor/ai_code_commits") for i in page["items"]]
    assert items
    found = set()
    for item in items:
        matches = [
            (repo, number)
            for (repo, number), pr in pulls.items()
            if repo == item["repoName"] and pr["head"]["ref"] == item["branchName"]
        ]
        assert len(matches) == 1, item["commitHash"]
        repo, number = matches[0]
        commits = {c["sha"]: c for c in _per_pr(root, repo, number, "commits")}
        commit = commits[item["commitHash"]]
        assert commit["commit"]["author"]["email"] == item["userEmail"]
        assert login_to_email[pulls[(repo, number)]["user"]["login"]] == item["userEmail"]
        assert commit["commit"]["message"] == item["message"]
        assert commit["commit"]["author"]["date"][:19] == item["commitTs"][:19]
        found.add((repo, number, item["commitHash"]))
    planted = {(p["repo"], p["number"], p["commit_sha"]) for p in truth["cursor_commit_prs"]}
    assert planted == found
    # The AI-code commits name PRs that the Made-with trailer alone misses (and vice versa the
    # trailer is only ever written by Cursor users).
    trailer = {
        (p["repo"], p["number"])
        for p in truth["ai_assisted_prs"]
        if "made_with_cursor" in p["markers"]
    }
    by_pr = {
        (p["repo"], p["number"]): p["made_with_cursor_trailer"] for p in truth["cursor_commit_prs"]
    }
    assert {pr for pr, flagged in by_pr.items() if flagged} == trailer
    missed = [pr for pr, flagged in by_pr.items() if not flagged]
    assert missed
    for repo, number in missed:
        messages = [c["commit"]["message"] for c in _per_pr(root, repo, number, "commits")]
        assert not any("Made-with: Cursor" in m for m in messages)
    cursor_users = set(truth["cursor_users"])
    assert all(login_to_email[pulls[pr]["user"]["login"]] in cursor_users for pr in trailer)


def test_litellm_spend_logs_have_the_schema_shape(landing: tuple[Path, dict[str, Any]]) -> None:
    root, truth = landing
    prisma = (EXAMPLES / "litellm_spendlogs_schema.prisma").read_text()
    columns = re.findall(r"(?m)^\s+(\w+)\s+(?:String|Int|Float|DateTime|Json)\b", prisma)
    folder = root / "litellm/spend_logs"
    days = sorted(p.stem for p in folder.glob("*.json"))
    exports = sorted(folder.glob("export_*.csv"))
    assert len(exports) == 1
    with exports[0].open(newline="", encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == columns
    csv_day = exports[0].stem.removeprefix("export_")
    start = dt.date.fromisoformat(truth["params"]["start_date"])
    period = [(start + dt.timedelta(days=i)).isoformat() for i in range(truth["params"]["days"])]
    assert sorted([*days, csv_day]) == period  # every day delivered once, one of them as CSV
    for day in days:
        for row in _load(folder / f"{day}.json"):
            assert list(row) == columns
            assert isinstance(row["spend"], float) and isinstance(row["request_tags"], list)
            assert row["cache_hit"] in {"True", "False"} and row["status"] in {"success", "failure"}
            assert {"user_api_key_alias", "user_api_key_user_id", "user_api_key_team_id",
                    "tags"} <= set(row["metadata"])  # fmt: skip
            assert row["startTime"].startswith(day) and row["startTime"].endswith("+00:00")
            assert row["total_tokens"] == row["prompt_tokens"] + row["completion_tokens"]
    logs = _spend_logs(root)
    assert len({r["request_id"] for r in logs}) == len(logs)
    assert truth["litellm_failures"] == sum(r["status"] == "failure" for r in logs) > 0
    failures = [r for r in logs if r["status"] == "failure"]
    assert all(r["spend"] == 0 and r["total_tokens"] == 0 for r in failures)
    assert {r["custom_llm_provider"] for r in logs} == {"anthropic", "deepseek", "dashscope"}
    assert any(r["cache_hit"] == "True" for r in logs)
    users = {k[1] for k in _identities(root) if k[0] == "litellm_user"}
    assert users and users <= {r["metadata"]["user_api_key_user_id"] for r in logs}


def test_litellm_planted_storms_and_tags(landing: tuple[Path, dict[str, Any]]) -> None:
    root, truth = landing
    logs = _spend_logs(root)
    by_id = {r["request_id"]: r for r in logs}
    assert len(truth["litellm_retry_storms"]) >= 3
    for storm in truth["litellm_retry_storms"]:
        lo, hi = (dt.datetime.fromisoformat(storm[k]) for k in ("start", "end"))
        burst = sorted(
            (r for r in logs
             if r["session_id"] == storm["session_id"]
             and r["metadata"]["user_api_key_user_id"] == storm["user"]
             and lo <= _log_time(r["startTime"]) <= hi),
            key=lambda r: _log_time(r["startTime"]),
        )  # fmt: skip
        assert len(burst) == storm["requests"] >= 5
        assert hi - lo <= dt.timedelta(minutes=2)
        assert [r["status"] for r in burst] == ["failure"] * storm["failures"] + ["success"]
        assert len({r["model"] for r in burst}) == 1
    identities = _identities(root)
    email_of_user = {k[1]: e for k, e in identities.items() if k[0] == "litellm_user"}
    login_to_email = {k[1]: e for k, e in identities.items() if k[0] == "github"}
    pulls = _pulls(root)
    tickets = {i["key"] for p in _pages(root, "jira/issues") for i in p["issues"]}
    tagged = truth["litellm_tagged_requests"]
    assert {"ticket_key", "pr", "branch"} <= {k for t in tagged for k in t}
    for link in tagged:
        row = by_id[link["request_id"]]
        tags = set(row["request_tags"])
        email = email_of_user[row["metadata"]["user_api_key_user_id"]]
        if "ticket_key" in link:
            assert f"ticket:{link['ticket_key']}" in tags and link["ticket_key"] in tickets
        elif "pr" in link:
            pr = pulls[(link["pr"]["repo"], link["pr"]["number"])]
            assert {f"pr:{link['pr']['number']}", f"repo:{link['pr']['repo']}"} <= tags
            assert login_to_email[pr["user"]["login"]] == email
        else:
            assert f"branch:{link['branch']}" in tags
            heads = {pr["head"]["ref"]: pr for pr in pulls.values()}
            assert login_to_email[heads[link["branch"]]["user"]["login"]] == email
    untagged = [r for r in logs if r["request_id"] not in {t["request_id"] for t in tagged}]
    assert not any(t.split(":")[0] in {"ticket", "pr", "branch"}
                   for r in untagged for t in r["request_tags"])  # fmt: skip


def test_gateway_traffic_is_in_the_anthropic_report_once(
    landing: tuple[Path, dict[str, Any]],
) -> None:
    root, truth = landing
    gateway = [k for k in _identities(root) if k[0] == "gateway_api_key"]
    assert gateway == [("gateway_api_key", truth["gateway_api_key"])]
    reported: dict[tuple[str, str], list[int]] = {}
    for page in _pages(root, "anthropic/usage_report_messages"):
        for bucket in page["data"]:
            for r in bucket["results"]:
                if r["api_key_id"] == truth["gateway_api_key"]:
                    assert r["cache_read_input_tokens"] == 0
                    assert r["cache_creation"]["ephemeral_5m_input_tokens"] == 0
                    key = (bucket["starting_at"][:10], r["model"])
                    reported[key] = [r["uncached_input_tokens"], r["output_tokens"]]
    logged: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for row in _spend_logs(root):
        if row["custom_llm_provider"] == "anthropic":
            key = (_log_time(row["startTime"]).date().isoformat(), row["model"])
            logged[key][0] += row["prompt_tokens"]
            logged[key][1] += row["completion_tokens"]
    assert reported and reported == {k: v for k, v in logged.items() if any(v)}
    per_day: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (day, _), (uncached, output) in reported.items():
        per_day[day][0] += uncached
        per_day[day][1] += output
    planted = {
        r["date"]: [r["uncached_input_tokens"], r["output_tokens"]]
        for r in truth["gateway_anthropic_tokens_by_day"]
    }
    assert planted == dict(per_day)
    assert all(
        r["tokens"] == r["uncached_input_tokens"] + r["output_tokens"]
        for r in truth["gateway_anthropic_tokens_by_day"]
    )
    # the cost report bills the gateway's tokens too (its models and days are all there)
    billed = {
        (b["starting_at"][:10], r["model"])
        for page in _pages(root, "anthropic/cost_report")
        for b in page["data"]
        for r in b["results"]
    }
    assert set(reported) <= billed


def test_focus_files_are_valid_focus_12(landing: tuple[Path, dict[str, Any]]) -> None:
    root, truth = landing
    files = sorted((root / "focus").glob("focus_*.csv"))
    assert files
    total, untagged = Decimal(0), Decimal(0)
    by_team: dict[str, Decimal] = defaultdict(Decimal)
    services = set()
    for path in files:
        with path.open(newline="", encoding="utf-8") as handle:
            assert next(csv.reader(handle)) == FOCUS_12_COLUMNS
        for row in _csv(path):
            assert "NULL" not in row.values()
            for column in ("BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart",
                           "ChargePeriodEnd"):  # fmt: skip
                assert FOCUS_TIMESTAMP.fullmatch(row[column]), (column, row[column])
            assert row["BillingPeriodStart"][:7] == path.stem.removeprefix("focus_")
            start, end = (
                dt.datetime.fromisoformat(row[k]) for k in ("ChargePeriodStart", "ChargePeriodEnd")
            )
            assert end - start == dt.timedelta(days=1)
            costs = [Decimal(row[k]) for k in ("BilledCost", "EffectiveCost", "ListCost")]
            assert costs[0] == costs[1] == costs[2] > 0
            Decimal(row["ConsumedQuantity"])
            services.add((row["ProviderName"], row["ServiceName"], row["ServiceCategory"]))
            tags = json.loads(row["Tags"]) if row["Tags"] else {}
            assert isinstance(tags, dict)
            if row["ServiceCategory"] != "AI and Machine Learning":
                continue
            assert row["ServiceSubcategory"] == "Generative AI"
            total += costs[0]
            if "team" in tags:
                by_team[tags["team"]] += costs[0]
            else:
                untagged += costs[0]
    assert ("AWS", "Amazon Bedrock", "AI and Machine Learning") in services
    assert ("Microsoft", "Azure OpenAI Service", "AI and Machine Learning") in services
    assert {s[2] for s in services} >= {"Compute", "Storage"}
    assert Decimal(truth["focus_ai_cost_usd"]) == total
    assert Decimal(truth["focus_untagged_ai_cost_usd"]) == untagged > 0
    assert {k: Decimal(v) for k, v in truth["focus_ai_cost_by_team"].items()} == dict(by_team)
    assert set(truth["focus_ai_cost_by_team"]) <= set(truth["teams"])
