"""GitHub Copilot for one organization: seats (a snapshot each run), the user-level
usage-metrics reports (signed download links, followed at once) and the billing usage report
(AI credits from 2026-06-01, premium requests before; one report per day)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from orchestration.extract import paging
from orchestration.extract.github import auth as github_auth
from orchestration.extract.http import explain, session
from orchestration.extract.runner import Endpoint, RunContext, StreamPlan
from orchestration.extract.state import Stream
from orchestration.extract.windows import days, iso, midnight, range_start
from orchestration.lib.landing import by_key

auth = github_auth
AI_CREDITS_SINCE = date(2026, 6, 1)


def _org(ctx: RunContext) -> str:
    return ctx.config.scope["TOKENWORTH_GITHUB_ORG"]


def plan_seats(ctx: RunContext) -> list[StreamPlan]:
    """A seat list is a snapshot of today: pulled whole every run."""
    return [
        StreamPlan(
            stream="seats",
            folder=ctx.endpoint.folder,
            request={
                "method": "GET",
                "path": f"/orgs/{_org(ctx)}/copilot/billing/seats",
                "params": {"per_page": 100},
            },
            watermark=iso(ctx.now),
        )
    ]


def plan_user_reports(ctx: RunContext) -> list[StreamPlan]:
    """One users-1-day report per finished UTC day in the range (today's is not out yet)."""
    start = range_start(
        ctx.now, ctx.since, ctx.store.watermark(ctx.endpoint.name), ctx.lookback_days
    )
    end = midnight(ctx.now.date())
    return [
        StreamPlan(
            stream=f"{day:%Y-%m-%d}",
            folder=ctx.endpoint.folder,
            request={
                "method": "GET",
                "path": f"/orgs/{_org(ctx)}/copilot/metrics/reports/users-1-day",
                "params": {"day": f"{day:%Y-%m-%d}"},
            },
            watermark=iso(midnight(day + timedelta(days=1))),
        )
        for day in days(start, end)
    ]


def fetch_user_report(
    ctx: RunContext, stream: Stream
) -> Iterator[tuple[bytes, dict[str, Any] | None]]:
    """The report answer is a list of signed links, valid for minutes: download each at once,
    without our credential (the links carry their own signature), and land the NDJSON itself.
    A resumed stream asks for fresh links and rewrites its files under the same names."""
    request = stream.first_request
    response = ctx.client.get(request["path"], params=request["params"])
    if response.status_code == 404:
        ctx.log(f"{ctx.endpoint.name} {stream.stream}: no report for this day yet")
        return
    response.raise_for_status()
    links: list[str] = response.json().get("download_links") or []
    stream.pages_written = 0
    downloads = session(ctx.policy)
    for link in links:
        try:
            body = downloads.get(link, timeout=ctx.policy.timeout_seconds)
            body.raise_for_status()
        except Exception as exc:
            # A signed URL is a credential of its own: the message names the status only.
            raise explain(exc, "github_copilot", ("GITHUB_TOKEN",), "report download") from None
        yield body.content, None


def plan_billing(ctx: RunContext) -> list[StreamPlan]:
    """The billing usage report aggregates by SKU and model; asked per day, it is a day."""
    start = range_start(
        ctx.now, ctx.since, ctx.store.watermark(ctx.endpoint.name), ctx.lookback_days
    )
    plans = []
    for day in days(start, ctx.now):
        product = "ai_credit" if day >= AI_CREDITS_SINCE else "premium_request"
        plans.append(
            StreamPlan(
                stream=f"{day:%Y-%m-%d}",
                folder=ctx.endpoint.folder,
                request={
                    "method": "GET",
                    "path": f"/organizations/{_org(ctx)}/settings/billing/{product}/usage",
                    "params": {"year": day.year, "month": day.month, "day": day.day},
                },
                watermark=iso(ctx.now),
            )
        )
    return plans


ENDPOINTS = (
    Endpoint(
        "github_copilot",
        by_key("github_copilot", "seats"),
        plan_seats,
        paging.link_header,
        data_selector="seats",
    ),
    Endpoint(
        "github_copilot",
        by_key("github_copilot", "users"),
        plan_user_reports,
        paging.single_page,
        fetch=fetch_user_report,
        suffix=".ndjson",
    ),
    Endpoint(
        "github_copilot",
        by_key("github_copilot", "billing"),
        plan_billing,
        paging.single_page,
        data_selector="usageItems",
    ),
)
