"""Cursor Admin API: usage events (POST, page number in the body, windows of at most 30 days)
and AI Code Tracking commits (GET, page number in the query). Auth is HTTP Basic with the key
as the user name."""

from __future__ import annotations

from requests.auth import AuthBase

from orchestration.extract import paging
from orchestration.extract.http import basic
from orchestration.extract.runner import Endpoint, RunContext, StreamPlan
from orchestration.extract.sources import SourceConfig
from orchestration.extract.windows import chunks, iso, range_start
from orchestration.lib.landing import by_key

# The usage endpoints accept at most 30 days per request (vendor_formats.md, section 4).
MAX_DAYS = 30
PAGE_SIZE = 100


def auth(config: SourceConfig) -> tuple[AuthBase, dict[str, str]]:
    return basic(config.secrets[0], ""), {}


def _windows(ctx: RunContext) -> list[tuple]:
    start = range_start(
        ctx.now, ctx.since, ctx.store.watermark(ctx.endpoint.name), ctx.lookback_days
    )
    return list(chunks(start, ctx.now, MAX_DAYS))


def plan_usage_events(ctx: RunContext) -> list[StreamPlan]:
    return [
        StreamPlan(
            stream=f"{lower:%Y-%m-%d}",
            folder=ctx.endpoint.folder,
            request={
                "method": "POST",
                "path": "/teams/filtered-usage-events",
                "json": {
                    "startDate": int(lower.timestamp() * 1000),
                    "endDate": int(upper.timestamp() * 1000),
                    "page": 1,
                    "pageSize": PAGE_SIZE,
                },
            },
            watermark=iso(upper),
        )
        for lower, upper in _windows(ctx)
    ]


def plan_ai_code_commits(ctx: RunContext) -> list[StreamPlan]:
    return [
        StreamPlan(
            stream=f"{lower:%Y-%m-%d}",
            folder=ctx.endpoint.folder,
            request={
                "method": "GET",
                "path": "/analytics/ai-code/commits",
                "params": {
                    "startDate": iso(lower),
                    "endDate": iso(upper),
                    "page": 1,
                    "pageSize": PAGE_SIZE,
                },
            },
            watermark=iso(upper),
        )
        for lower, upper in _windows(ctx)
    ]


ENDPOINTS = (
    Endpoint(
        "cursor",
        by_key("cursor", "usage_events"),
        plan_usage_events,
        paging.body_page_number,
        data_selector="usageEvents",
    ),
    Endpoint(
        "cursor",
        by_key("cursor", "ai_code_commits"),
        plan_ai_code_commits,
        paging.query_page_total_count,
        data_selector="items",
    ),
)
