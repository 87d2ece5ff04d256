"""Jira Cloud `search/jql` with `expand=changelog`, incremental on `updated`, paged by
`nextPageToken` in the POST body. The configured JQL is wrapped as
`(<JQL>) AND updated >= "<cursor>" ORDER BY updated ASC`; the cursor is the newest `updated`
a finished run saw, less a day, because JQL dates are read in the Jira user's time zone."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from requests.auth import AuthBase

from orchestration.extract import paging
from orchestration.extract.http import ExtractError, basic
from orchestration.extract.runner import Endpoint, PageOutcome, RunContext, StreamPlan
from orchestration.extract.sources import SourceConfig
from orchestration.extract.state import Stream
from orchestration.extract.windows import incremental_start, iso, parse_instant
from orchestration.lib.landing import by_key

TIME_ZONE_SLACK = timedelta(days=1)
_ORDER_BY = re.compile(r"\border\s+by\b", re.IGNORECASE)


def auth(config: SourceConfig) -> tuple[AuthBase, dict[str, str]]:
    email, token = config.secrets
    return basic(email, token), {"Accept": "application/json"}


def jql(configured: str, since: str) -> str:
    if _ORDER_BY.search(configured):
        raise ExtractError(
            "jira: TOKENWORTH_JIRA_JQL must not contain ORDER BY (we order by updated)"
        )
    return f'({configured}) AND updated >= "{since}" ORDER BY updated ASC'


def plan_issues(ctx: RunContext) -> list[StreamPlan]:
    watermark = ctx.store.watermark(ctx.endpoint.name)
    start = incremental_start(ctx.now, ctx.since, watermark, ctx.lookback_days)
    if ctx.since is None and watermark:
        start -= TIME_ZONE_SLACK
    return [
        StreamPlan(
            stream="issues",
            folder=ctx.endpoint.folder,
            request={
                "method": "POST",
                "path": "/rest/api/3/search/jql",
                "json": {
                    "jql": jql(ctx.config.scope["TOKENWORTH_JIRA_JQL"], f"{start:%Y-%m-%d %H:%M}"),
                    "expand": "changelog",
                    "fields": ["*all"],
                    "maxResults": 100,
                },
            },
        )
    ]


def on_issues_page(ctx: RunContext, stream: Stream, page: Any) -> PageOutcome:
    """The watermark is the newest `updated` seen (Jira writes `...+0000`)."""
    newest = stream.watermark or stream.cursor_from
    for issue in page:
        updated = (issue.get("fields") or {}).get("updated")
        if updated:
            moment = parse_instant(re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", updated))
            newest = max(newest or "", iso(moment))
    return PageOutcome(watermark=newest)


ENDPOINTS = (
    Endpoint(
        "jira",
        by_key("jira", "issues"),
        plan_issues,
        paging.body_token,
        data_selector="issues",
        on_page=on_issues_page,
    ),
)
