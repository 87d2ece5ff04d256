"""LiteLLM proxy `GET /spend/logs` (one request per UTC day, `summarize=false` so rows are
requests, not daily totals). The proxy answers a day as one JSON array: one page."""

from __future__ import annotations

from datetime import timedelta

from requests.auth import AuthBase

from orchestration.extract import paging
from orchestration.extract.http import bearer
from orchestration.extract.runner import Endpoint, RunContext, StreamPlan
from orchestration.extract.sources import SourceConfig
from orchestration.extract.windows import days, iso, range_start
from orchestration.lib.landing import by_key


def auth(config: SourceConfig) -> tuple[AuthBase, dict[str, str]]:
    return bearer(config.secrets[0]), {}


def plan_spend_logs(ctx: RunContext) -> list[StreamPlan]:
    start = range_start(
        ctx.now, ctx.since, ctx.store.watermark(ctx.endpoint.name), ctx.lookback_days
    )
    return [
        StreamPlan(
            stream=f"{day:%Y-%m-%d}",
            folder=ctx.endpoint.folder,
            request={
                "method": "GET",
                "path": "/spend/logs",
                "params": {
                    "start_date": f"{day:%Y-%m-%d}",
                    "end_date": f"{day + timedelta(days=1):%Y-%m-%d}",
                    "summarize": "false",
                },
            },
            watermark=iso(ctx.now),
        )
        for day in days(start, ctx.now)
    ]


ENDPOINTS = (
    Endpoint(
        "litellm",
        by_key("litellm", "spend_logs"),
        plan_spend_logs,
        paging.single_page,
    ),
)
