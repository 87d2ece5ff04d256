"""GitHub REST: each configured repository's pull requests, newest update first, down to the
cursor; then the commits, reviews and files of every PR updated since.

The cursor is the newest `updated_at` a finished run saw for the repository. A page of PRs is
landed whole, and pagination stops after the first page that reaches back to the cursor. Each
PR updated past the cursor queues one stream per child endpoint; those run next (they come
after this endpoint in the asset graph) and land under `github/<owner>/<repo>/pulls/<n>/...`.
"""

from __future__ import annotations

from typing import Any

from requests.auth import AuthBase

from orchestration.extract import paging
from orchestration.extract.http import ExtractError, bearer
from orchestration.extract.runner import Endpoint, PageOutcome, RunContext, StreamPlan
from orchestration.extract.sources import SourceConfig
from orchestration.extract.state import Stream
from orchestration.extract.windows import incremental_start, iso, parse_instant
from orchestration.lib.landing import by_key

API_HEADERS = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
CHILDREN = ("commits", "reviews", "files")
PULLS = "github/pulls"


def auth(config: SourceConfig) -> tuple[AuthBase, dict[str, str]]:
    return bearer(config.secrets[0]), dict(API_HEADERS)


def repositories(config: SourceConfig) -> list[tuple[str, str]]:
    repos = []
    for item in config.scope.get("TOKENWORTH_GITHUB_REPOS", "").split(","):
        item = item.strip()
        if not item:
            continue
        owner, _, name = item.partition("/")
        if not owner or not name or "/" in name:
            raise ExtractError(f"github: TOKENWORTH_GITHUB_REPOS entry {item!r} is not owner/repo")
        repos.append((owner, name))
    return repos


def plan_pulls(ctx: RunContext) -> list[StreamPlan]:
    return [
        StreamPlan(
            stream=f"{owner}/{name}",
            folder=f"github/{owner}/{name}/pulls",
            scope=f"{owner}/{name}",
            request={
                "method": "GET",
                "path": f"/repos/{owner}/{name}/pulls",
                "params": {"state": "all", "sort": "updated", "direction": "desc", "per_page": 100},
            },
        )
        for owner, name in repositories(ctx.config)
    ]


def on_pulls_page(ctx: RunContext, stream: Stream, page: Any) -> PageOutcome:
    """Queue the children of PRs updated since the cursor; stop once the cursor is reached."""
    cursor = incremental_start(ctx.now, ctx.since, stream.cursor_from, ctx.lookback_days)
    # A stored cursor was already seen (strictly newer is new); --since is inclusive.
    seen_cursor = ctx.since is None and stream.cursor_from is not None
    owner, name = stream.scope.split("/", 1)
    newest = stream.watermark or stream.cursor_from
    reached_cursor = not page
    for pull in page:
        updated = parse_instant(pull["updated_at"])
        if updated < cursor or (seen_cursor and updated == cursor):
            reached_cursor = True
            continue
        newest = max(newest or "", iso(updated))
        for child in CHILDREN:
            _queue_child(ctx, owner, name, int(pull["number"]), child, iso(updated))
    return PageOutcome(keep_going=not reached_cursor, watermark=newest)


def _queue_child(
    ctx: RunContext, owner: str, name: str, number: int, child: str, seen: str
) -> None:
    endpoint = f"github/pull_{child}"
    key = f"{owner}/{name}#{number}"
    existing = ctx.store.get(endpoint, key)
    if existing and existing.status == "in_progress":
        return  # a killed run's stream: it resumes where it stopped
    if existing and existing.status == "queued" and existing.watermark == seen:
        return
    ctx.store.upsert(
        endpoint,
        key,
        scope=f"{owner}/{name}",
        status="queued",
        folder=f"github/{owner}/{name}/pulls/{number}/{child}",
        first_request={
            "method": "GET",
            "path": f"/repos/{owner}/{name}/pulls/{number}/{child}",
            "params": {"per_page": 100},
        },
        watermark=seen,
    )


def _no_new_streams(_: RunContext) -> list[StreamPlan]:
    """Children are queued by the pulls endpoint; their run only drains the queue."""
    return []


ENDPOINTS = (
    Endpoint(
        "github",
        by_key("github", "pulls"),
        plan_pulls,
        paging.link_header,
        on_page=on_pulls_page,
    ),
    *(
        Endpoint(
            "github",
            by_key("github", f"pull_{child}"),
            _no_new_streams,
            paging.link_header,
            after=(PULLS,),
        )
        for child in CHILDREN
    ),
)
