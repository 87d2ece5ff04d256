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

REPO = Path(__file__).parents[1]
EXAMPLES = REPO / ".." / "shared" / "reference" / "vendor_examples"
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
    real = (
        REPO
        / ".."
        / "shared"
        / "conformance"
        / "claude_code_transcripts"
        / "test"
        / "fixtures"
        / "transcripts"
        / "short.jsonl"
    )
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
    assert not any(key_id in {e for (_, e) in owner} for (_, key_id, _) in unowned)


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
