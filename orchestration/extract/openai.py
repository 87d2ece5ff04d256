"""OpenAI organization Usage API (completions) and Costs API: Unix-second windows, 1-day buckets."""

from __future__ import annotations

from requests.auth import AuthBase

from orchestration.extract import paging
from orchestration.extract.http import bearer
from orchestration.extract.runner import Endpoint, RunContext, StreamPlan
from orchestration.extract.sources import SourceConfig
from orchestration.extract.windows import chunks, iso, range_start
from orchestration.lib.landing import by_key

# Dimensions are null unless grouped by, so group by everything that names a spender.
USAGE_GROUP_BY = ["project_id", "user_id", "api_key_id", "model", "batch", "service_tier"]
COST_GROUP_BY = ["project_id", "line_item", "api_key_id"]


def auth(config: SourceConfig) -> tuple[AuthBase, dict[str, str]]:
    return bearer(config.secrets[0]), {}


def _windowed(ctx: RunContext, path: str, group_by: list[str], limit: int) -> list[StreamPlan]:
    start = range_start(
        ctx.now, ctx.since, ctx.store.watermark(ctx.endpoint.name), ctx.lookback_days
    )
    return [
        StreamPlan(
            stream=f"{lower:%Y-%m-%d}",
            folder=ctx.endpoint.folder,
            request={
                "method": "GET",
                "path": path,
                "params": {
                    "start_time": int(lower.timestamp()),
                    "end_time": int(upper.timestamp()),
                    "bucket_width": "1d",
                    "group_by": group_by,
                    "limit": limit,
                },
            },
            watermark=iso(upper),
        )
        for lower, upper in chunks(start, ctx.now, limit)
    ]


def plan_usage(ctx: RunContext) -> list[StreamPlan]:
    # With 1-day buckets a page holds at most 31 buckets.
    return _windowed(ctx, "/v1/organization/usage/completions", USAGE_GROUP_BY, 31)


def plan_costs(ctx: RunContext) -> list[StreamPlan]:
    return _windowed(ctx, "/v1/organization/costs", COST_GROUP_BY, 180)


ENDPOINTS = (
    Endpoint(
        "openai",
        by_key("openai", "usage_completions"),
        plan_usage,
        paging.has_more_cursor,
        data_selector="data",
    ),
    Endpoint(
        "openai",
        by_key("openai", "costs"),
        plan_costs,
        paging.has_more_cursor,
        data_selector="data",
    ),
)
