"""Who each vendor is to the extractor: its credential, scope and base-URL variables.

A source is configured when every credential and scope variable it needs is set; otherwise it
is skipped with one line that names the variables to set. Secrets stay inside `SourceConfig`
and are never part of its repr.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SourceSpec:
    name: str
    credential_vars: tuple[str, ...]
    base_url_var: str
    default_base_url: str | None
    scope_vars: tuple[str, ...] = ()
    # What the credential needs, for the error on 401/403 and the README.
    permission: str = ""


SOURCES: dict[str, SourceSpec] = {
    spec.name: spec
    for spec in (
        SourceSpec(
            "anthropic",
            ("ANTHROPIC_ADMIN_API_KEY",),
            "TOKENWORTH_ANTHROPIC_BASE_URL",
            "https://api.anthropic.com",
            permission="an Admin API key (sk-ant-admin...) of the organization",
        ),
        SourceSpec(
            "openai",
            ("OPENAI_ADMIN_KEY",),
            "TOKENWORTH_OPENAI_BASE_URL",
            "https://api.openai.com",
            permission="an organization Admin key (usage and costs read)",
        ),
        SourceSpec(
            "github",
            ("GITHUB_TOKEN",),
            "TOKENWORTH_GITHUB_BASE_URL",
            "https://api.github.com",
            scope_vars=("TOKENWORTH_GITHUB_REPOS",),
            permission="a token with read access to the repositories' pull requests and contents",
        ),
        SourceSpec(
            "github_copilot",
            ("GITHUB_TOKEN",),
            "TOKENWORTH_GITHUB_BASE_URL",
            "https://api.github.com",
            scope_vars=("TOKENWORTH_GITHUB_ORG",),
            permission=(
                "an organization owner's or billing manager's token: Copilot seats and metrics "
                "(manage_billing:copilot or read:org) and billing usage (Administration: read)"
            ),
        ),
        SourceSpec(
            "cursor",
            ("CURSOR_API_KEY",),
            "TOKENWORTH_CURSOR_BASE_URL",
            "https://api.cursor.com",
            permission="a team Admin API key",
        ),
        SourceSpec(
            "jira",
            ("JIRA_EMAIL", "JIRA_API_TOKEN"),
            "TOKENWORTH_JIRA_BASE_URL",
            None,
            scope_vars=("TOKENWORTH_JIRA_JQL",),
            permission="an API token of a user who can browse the projects in the JQL",
        ),
        SourceSpec(
            "litellm",
            ("LITELLM_API_KEY",),
            "LITELLM_BASE_URL",
            None,
            permission="a proxy admin or master key (spend logs read)",
        ),
    )
}


@dataclass(frozen=True)
class SourceConfig:
    """A source's settings as resolved for one run. `secrets` never appear in repr."""

    name: str
    base_url: str | None
    scope: Mapping[str, str] = field(default_factory=dict)
    secrets: tuple[str, ...] = field(default=(), repr=False)
    missing: tuple[str, ...] = ()

    @property
    def spec(self) -> SourceSpec:
        return SOURCES[self.name]

    @property
    def is_configured(self) -> bool:
        return not self.missing

    def skip_reason(self) -> str:
        return f"skipped: set {' and '.join(self.missing)}"


def source_config(
    name: str,
    secrets: tuple[str | None, ...],
    base_url: str | None,
    scope: Mapping[str, str | None],
) -> SourceConfig:
    """A SourceConfig from already-read values (the Dagster resource and the CLI both end here)."""
    spec = SOURCES[name]
    missing = [var for var, value in zip(spec.credential_vars, secrets, strict=True) if not value]
    missing += [var for var in spec.scope_vars if not scope.get(var)]
    url = base_url or spec.default_base_url
    if not url:
        missing.append(spec.base_url_var)
    return SourceConfig(
        name=name,
        base_url=url.rstrip("/") if url else None,
        scope={k: v for k, v in scope.items() if v},
        secrets=tuple(s for s in secrets if s),
        missing=tuple(missing),
    )


def config_from_env(name: str, env: Mapping[str, str] | None = None) -> SourceConfig:
    env = os.environ if env is None else env
    spec = SOURCES[name]
    return source_config(
        name,
        tuple(env.get(var) or None for var in spec.credential_vars),
        env.get(spec.base_url_var) or None,
        {var: env.get(var) for var in spec.scope_vars},
    )


def lookback_days_from_env(env: Mapping[str, str] | None = None) -> int:
    """DESIGN's restatement window: vendors restate recent buckets, so usage and cost endpoints
    re-pull this many trailing days every night."""
    env = os.environ if env is None else env
    raw = env.get("TOKENWORTH_RESTATEMENT_LOOKBACK_DAYS") or "35"
    days = int(raw)
    if days < 0:
        raise ValueError("TOKENWORTH_RESTATEMENT_LOOKBACK_DAYS must be 0 or more")
    return days


def extraction_enabled(env: Mapping[str, str] | None = None) -> bool:
    """`TOKENWORTH_EXTRACT=off` turns every extract asset into a skip (the demo and CI build
    synthetic landing folders, which must not receive real pages)."""
    env = os.environ if env is None else env
    return (env.get("TOKENWORTH_EXTRACT") or "on").strip().lower() not in ("off", "0", "false")
