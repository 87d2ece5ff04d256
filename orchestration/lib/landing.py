"""The landing contract (DESIGN.md) as data: one entry per landing folder.

Each entry names the dbt source table it fills. The Dagster ingest asset's key is the raw table
it loads (`raw/<source>__<table>`, as dbt models are keyed `<schema>/<model>`), and each dbt
source table names that key in `meta.dagster.asset_key`, so lineage joins by key.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from orchestration.lib.settings import RAW_SCHEMA


@dataclass(frozen=True)
class LandingSource:
    source: str
    table: str
    patterns: tuple[str, ...]
    description: str

    @property
    def raw_table(self) -> str:
        return f"{self.source}__{self.table}"

    @property
    def asset_key(self) -> list[str]:
        """The ingest asset's key, named for the table it loads (`raw/org__people`, never a bare
        `people`). The dbt source's `meta.dagster.asset_key` repeats it, so lineage joins by
        key with no translator. Anything upstream or downstream of an ingest asset uses this."""
        return [RAW_SCHEMA, self.raw_table]


JSON = ("*.json", "*.ndjson", "*.jsonl")
TABULAR = ("*.csv", "*.csv.gz", "*.parquet")


def _under(folder: str, suffixes: tuple[str, ...], recursive: bool = True) -> tuple[str, ...]:
    depth = "**/" if recursive else ""
    return tuple(f"{folder}/{depth}{suffix}" for suffix in suffixes)


LANDING_SOURCES: tuple[LandingSource, ...] = (
    LandingSource(
        "anthropic",
        "usage_report_messages",
        _under("anthropic/usage_report_messages", JSON),
        "Anthropic Admin API usage_report/messages pages (any group_by).",
    ),
    LandingSource(
        "anthropic",
        "cost_report",
        _under("anthropic/cost_report", JSON),
        "Anthropic Admin API cost_report pages.",
    ),
    LandingSource(
        "anthropic",
        "claude_code",
        _under("anthropic/claude_code", JSON),
        "Anthropic Claude Code Analytics API pages.",
    ),
    LandingSource(
        "anthropic",
        "analytics_usage",
        _under("anthropic/analytics_usage", JSON),
        "Anthropic Usage and Cost Analytics API /v1/organizations/analytics/usage pages.",
    ),
    LandingSource(
        "anthropic",
        "analytics_cost",
        _under("anthropic/analytics_cost", JSON),
        "Anthropic Usage and Cost Analytics API /v1/organizations/analytics/cost pages.",
    ),
    LandingSource(
        "claude_code_transcripts",
        "transcripts",
        ("claude_code_transcripts/**/*.jsonl",),
        "Claude Code session transcripts; the first folder is the person's email.",
    ),
    LandingSource(
        "openai",
        "usage_completions",
        _under("openai/usage_completions", JSON),
        "OpenAI /v1/organization/usage/completions pages.",
    ),
    LandingSource(
        "openai",
        "costs",
        _under("openai/costs", JSON),
        "OpenAI /v1/organization/costs pages.",
    ),
    LandingSource(
        "github_copilot",
        "users",
        _under("github_copilot/users", JSON),
        "GitHub Copilot usage-metrics user-level reports (NDJSON or JSON arrays).",
    ),
    LandingSource(
        "github_copilot",
        "seats",
        _under("github_copilot/seats", JSON),
        "GitHub /orgs/{org}/copilot/billing/seats pages.",
    ),
    LandingSource(
        "github_copilot",
        "billing",
        _under("github_copilot/billing", JSON),
        "GitHub billing usage for Copilot (AI credits from June 2026, premium requests before).",
    ),
    LandingSource(
        "cursor",
        "usage_events",
        _under("cursor/usage_events", JSON),
        "Cursor Admin API filtered-usage-events pages.",
    ),
    LandingSource(
        "cursor",
        "ai_code_commits",
        _under("cursor/ai_code_commits", JSON),
        "Cursor AI Code Tracking API commit pages.",
    ),
    LandingSource(
        "litellm",
        "spend_logs",
        _under("litellm/spend_logs", (*JSON, "*.csv", "*.csv.gz")),
        "LiteLLM SpendLogs exports (JSON from /spend/logs, or CSV).",
    ),
    LandingSource(
        "focus",
        "billing",
        _under("focus", TABULAR),
        "FOCUS 1.x billing exports (CSV, CSV.gz or Parquet).",
    ),
    LandingSource(
        "github",
        "pulls",
        ("github/*/*/pulls/*.json",),
        "GET /repos/{o}/{r}/pulls?state=all pages, or single-PR objects.",
    ),
    LandingSource(
        "github",
        "pull_commits",
        ("github/*/*/pulls/*/commits/*.json",),
        "GET /repos/{o}/{r}/pulls/{n}/commits pages.",
    ),
    LandingSource(
        "github",
        "pull_reviews",
        ("github/*/*/pulls/*/reviews/*.json",),
        "GET /repos/{o}/{r}/pulls/{n}/reviews pages.",
    ),
    LandingSource(
        "github",
        "pull_files",
        ("github/*/*/pulls/*/files/*.json",),
        "GET /repos/{o}/{r}/pulls/{n}/files pages.",
    ),
    LandingSource(
        "jira",
        "issues",
        _under("jira/issues", JSON),
        "Jira Cloud search/jql pages with expand=changelog.",
    ),
    LandingSource("org", "people", ("org/people.csv",), "org/people.csv: person x team period."),
    LandingSource(
        "org", "identities", ("org/identities.csv",), "org/identities.csv: person x account."
    ),
    LandingSource("org", "budgets", ("org/budgets.csv",), "org/budgets.csv: budgets, allowances."),
)


def by_key(source: str, table: str) -> LandingSource:
    for spec in LANDING_SOURCES:
        if (spec.source, spec.table) == (source, table):
            return spec
    raise KeyError(f"no landing folder for {source}.{table}")


def landing_fingerprint(landing_root: Path) -> str | None:
    """A digest of every file under the landing root (path, size, modification time), or None
    when the folder is missing or empty. A new, replaced or removed file changes it."""
    if not landing_root.is_dir():
        return None
    entries = []
    for folder, _dirs, files in os.walk(landing_root):
        for name in files:
            path = Path(folder, name)
            stat = path.stat()
            entries.append(
                f"{path.relative_to(landing_root).as_posix()}\0{stat.st_size}\0{stat.st_mtime_ns}"
            )
    if not entries:
        return None
    return hashlib.sha256("\n".join(sorted(entries)).encode()).hexdigest()
