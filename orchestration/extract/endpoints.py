"""Every endpoint the extractor pulls, in run order, and the one definition of an extract
asset's key: `["extract", *LandingSource.asset_key]`, upstream of that folder's ingest asset."""

from __future__ import annotations

from orchestration.extract import anthropic, cursor, github, github_copilot, jira, litellm, openai
from orchestration.extract.runner import AuthFactory, Endpoint
from orchestration.lib.landing import LandingSource

ENDPOINTS: tuple[Endpoint, ...] = (
    *anthropic.ENDPOINTS,
    *openai.ENDPOINTS,
    *github.ENDPOINTS,
    *github_copilot.ENDPOINTS,
    *cursor.ENDPOINTS,
    *jira.ENDPOINTS,
    *litellm.ENDPOINTS,
)

AUTH: dict[str, AuthFactory] = {
    "anthropic": anthropic.auth,
    "openai": openai.auth,
    "github": github.auth,
    "github_copilot": github_copilot.auth,
    "cursor": cursor.auth,
    "jira": jira.auth,
    "litellm": litellm.auth,
}

BY_NAME = {endpoint.name: endpoint for endpoint in ENDPOINTS}


def extract_key(spec: LandingSource) -> list[str]:
    return ["extract", *spec.asset_key]


def extract_keys_upstream_of(spec: LandingSource) -> list[list[str]]:
    """The extract asset(s) that fill this landing folder (none for file-only folders)."""
    return [extract_key(e.landing) for e in ENDPOINTS if e.landing == spec]


def select(names: list[str] | None) -> list[Endpoint]:
    """Endpoints by source name (`github`) or endpoint name (`github/pulls`), in run order."""
    if not names:
        return list(ENDPOINTS)
    unknown = [n for n in names if n not in AUTH and n not in BY_NAME]
    if unknown:
        raise ValueError(f"unknown source or endpoint: {', '.join(unknown)}")
    return [e for e in ENDPOINTS if e.source in names or e.name in names]
