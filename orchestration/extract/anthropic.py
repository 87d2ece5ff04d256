"""Anthropic Admin API: the legacy usage and cost reports, Claude Code analytics, and the
Usage and Cost Analytics API (beta; attributes spend to actors and sessions)."""

from __future__ import annotations

from typing import Any

from requests.auth import AuthBase

from orchestration.extract import paging
from orchestration.extract.http import HeaderAuth
from orchestration.extract.runner import Endpoint, RunContext, StreamPlan
from orchestration.extract.sources import SourceConfig
from orchestration.extract.windows import chunks, days, iso, range_start
from orchestration.lib.landing import by_key

API_VERSION = "2023-06-01"
ANALYTICS_BETA = "analytics-usage-cost-2026-08-24"

# Every dimension the reports can be grouped by that tells who or what spent: without a
# group_by the dimension comes back null (vendor_formats.md, null dimensions).
MESSAGES_GROUP_BY = [
    "api_key_id",
    "account_id",
    "service_account_id",
    "workspace_id",
    "model",
    "service_tier",
    "context_window",
    "inference_geo",
]
COST_GROUP_BY = ["workspace_id", "description"]
ANALYTICS_GROUP_BY = [
    "actor",
    "api_key_id",
    "workspace_id",
    "model",
    "product",
    "service_tier",
    "context_window",
    "inference_geo",
    "speed",
]


def auth(config: SourceConfig) -> tuple[AuthBase, dict[str, str]]:
    return HeaderAuth({"x-api-key": config.secrets[0]}), {"anthropic-version": API_VERSION}


def _windowed(
    ctx: RunContext,
    path: str,
    params: dict[str, Any],
    max_days: int,
    headers: dict[str, str] | None = None,
) -> list[StreamPlan]:
    """One stream per window of at most `max_days` over the restatement range."""
    start = range_start(
        ctx.now, ctx.since, ctx.store.watermark(ctx.endpoint.name), ctx.lookback_days
    )
    plans = []
    for lower, upper in chunks(start, ctx.now, max_days):
        request: dict[str, Any] = {
            "method": "GET",
            "path": path,
            "params": {**params, "starting_at": iso(lower), "ending_at": iso(upper)},
        }
        if headers:
            request["headers"] = headers
        plans.append(
            StreamPlan(
                stream=f"{lower:%Y-%m-%d}",
                folder=ctx.endpoint.folder,
                request=request,
                watermark=iso(upper),
            )
        )
    return plans


def plan_messages(ctx: RunContext) -> list[StreamPlan]:
    params = {"bucket_width": "1d", "group_by[]": MESSAGES_GROUP_BY, "limit": 31}
    return _windowed(ctx, "/v1/organizations/usage_report/messages", params, 31)


def plan_costs(ctx: RunContext) -> list[StreamPlan]:
    params = {"bucket_width": "1d", "group_by[]": COST_GROUP_BY, "limit": 31}
    return _windowed(ctx, "/v1/organizations/cost_report", params, 31)


def plan_claude_code(ctx: RunContext) -> list[StreamPlan]:
    """Claude Code analytics answers one UTC day per request."""
    start = range_start(
        ctx.now, ctx.since, ctx.store.watermark(ctx.endpoint.name), ctx.lookback_days
    )
    return [
        StreamPlan(
            stream=f"{day:%Y-%m-%d}",
            folder=ctx.endpoint.folder,
            request={
                "method": "GET",
                "path": "/v1/organizations/usage_report/claude_code",
                "params": {"starting_at": f"{day:%Y-%m-%d}", "limit": 1000},
            },
            watermark=iso(ctx.now),
        )
        for day in days(start, ctx.now)
    ]


def _analytics(ctx: RunContext, path: str) -> list[StreamPlan]:
    # Without a time bucket the API covers at most 31 days per request; with one, we keep to
    # the same window so a restart after an expired cursor (HTTP 410) repeats little.
    params = {"time_bucket_width": "1d", "group_by[]": ANALYTICS_GROUP_BY, "limit": 100}
    return _windowed(ctx, path, params, 31, headers={"anthropic-beta": ANALYTICS_BETA})


def plan_analytics_usage(ctx: RunContext) -> list[StreamPlan]:
    return _analytics(ctx, "/v1/organizations/analytics/usage")


def plan_analytics_cost(ctx: RunContext) -> list[StreamPlan]:
    return _analytics(ctx, "/v1/organizations/analytics/cost")


ENDPOINTS = (
    Endpoint(
        "anthropic",
        by_key("anthropic", "usage_report_messages"),
        plan_messages,
        paging.has_more_cursor,
        data_selector="data",
    ),
    Endpoint(
        "anthropic",
        by_key("anthropic", "cost_report"),
        plan_costs,
        paging.has_more_cursor,
        data_selector="data",
    ),
    Endpoint(
        "anthropic",
        by_key("anthropic", "claude_code"),
        plan_claude_code,
        paging.has_more_cursor,
        data_selector="data",
    ),
    Endpoint(
        "anthropic",
        by_key("anthropic", "analytics_usage"),
        plan_analytics_usage,
        paging.has_more_cursor,
        data_selector="data",
    ),
    Endpoint(
        "anthropic",
        by_key("anthropic", "analytics_cost"),
        plan_analytics_cost,
        paging.has_more_cursor,
        data_selector="data",
    ),
)
