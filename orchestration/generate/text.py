"""Word pools and the exact AI-attribution strings planted in commit messages.

The marker strings are the ones real tools write (see vendor_formats.md section 7), so the
warehouse's detectors are tested against what they will meet in production.
"""

from __future__ import annotations

import duckdb

from orchestration.generate.engine import values_sql

VERBS = [
    "Add", "Fix", "Refactor", "Improve", "Remove", "Migrate", "Optimize", "Validate",
    "Cache", "Document", "Harden", "Simplify", "Instrument", "Paginate", "Retry", "Split",
]  # fmt: skip
OBJECTS = [
    "refund endpoint", "webhook handler", "search ranking", "session store", "feature flags",
    "rate limiter", "invoice export", "push notifications", "login flow", "audit log",
    "checkout form", "price calculation", "event consumer", "daily rollup job", "user settings",
    "API client", "schema migration", "image upload", "cart service", "retry queue",
    "metrics dashboard", "email templates", "permissions check", "currency conversion",
]  # fmt: skip
AREAS = [
    "for EU customers", "in the mobile app", "behind a flag", "for large accounts",
    "on cold start", "in the admin UI", "for partner API", "during peak load", "", "", "", "",
]  # fmt: skip
SYMPTOMS = [
    "Crash", "Timeout", "Wrong total", "Duplicate charge", "Missing data", "500 error",
    "Stale cache", "Race condition", "Broken layout", "Memory leak", "Slow query",
]  # fmt: skip
FOLLOW_UP_COMMITS = [
    "Address review comments", "Fix failing tests", "Handle empty input", "Rename for clarity",
    "Add missing test", "Update docs", "Tidy imports", "Guard against null", "Bump timeout",
    "Extract helper", "Fix lint", "Simplify condition",
]  # fmt: skip

GENERATED_WITH = "🤖 Generated with [Claude Code](https://claude.com/claude-code)"
# (variant, trailer block appended to the commit message, markers it carries)
AI_MARKERS: list[tuple[int, str, str]] = [
    (
        0,
        f"\n\n{GENERATED_WITH}\n\nCo-Authored-By: Claude Sonnet 4.5 <noreply@anthropic.com>",
        "co_authored_by_claude,generated_with_claude_code",
    ),
    (
        1,
        f"\n\n{GENERATED_WITH}\n\nCo-Authored-By: Claude Opus 4.5 <noreply@anthropic.com>",
        "co_authored_by_claude,generated_with_claude_code",
    ),
    (2, "\n\nCo-Authored-By: Claude <noreply@anthropic.com>", "co_authored_by_claude"),
    (3, f"\n\n{GENERATED_WITH}", "generated_with_claude_code"),
    (
        4,
        "\n\nCo-Authored-By: Claude Sonnet 4.6 <noreply@anthropic.com>",
        "co_authored_by_claude",
    ),
    (5, "\n\nMade-with: Cursor", "made_with_cursor"),
]
CURSOR_VARIANT = 5
CLAUDE_VARIANTS = 5  # variants 0..4 are Claude Code's

# Coding agents as they appear in GitHub's REST API: (agent, login, user id, commit author name,
# commit author email).
AGENT_ACCOUNTS = [
    ("copilot", "Copilot", 198982749, "copilot-swe-agent[bot]",
     "198982749+Copilot@users.noreply.github.com"),
    ("devin", "devin-ai-integration[bot]", 158243242, "Devin AI",
     "158243242+devin-ai-integration[bot]@users.noreply.github.com"),
]  # fmt: skip


def list_sql(items: list[str]) -> str:
    """A DuckDB list literal, indexable 1-based: {list}[pick(...) + 1]."""
    return "[" + values_sql([items])[1:-1] + "]"


def load_text_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "create table ai_markers(variant int, trailer varchar, markers varchar);"
        f"insert into ai_markers values {values_sql(AI_MARKERS)};"
        "create table agent_accounts(agent varchar, login varchar, id bigint, "
        "commit_name varchar, commit_email varchar);"
        f"insert into agent_accounts values {values_sql(AGENT_ACCOUNTS)}"
    )
