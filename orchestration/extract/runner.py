"""Running one endpoint: resume what a killed run left, plan the new streams, write then move.

For each page the order is fixed: the page's bytes go to disk (atomically, under a name fixed
by the stream's start and the page number), then the stream's state row moves to the next
request. A crash between the two rewrites the same page under the same name on resume, so a
page never lands twice. HTTP 410 (expired cursor) restarts the stream from its first page,
a bounded number of times. Any other HTTP failure fails the endpoint with a clear, redacted
message; the caller goes on with the other endpoints.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from orchestration.extract.http import (
    CredentialError,
    ExpiredCursor,
    ExtractError,
    Redactor,
    RetryPolicy,
    explain,
    redacted_dlt_logs,
    rest_client,
)
from orchestration.extract.pages import page_name, write_page
from orchestration.extract.sources import SourceConfig
from orchestration.extract.state import StateStore, Stream
from orchestration.lib.landing import LandingSource

if TYPE_CHECKING:
    from dlt.sources.helpers.rest_client import RESTClient
    from dlt.sources.helpers.rest_client.paginators import BasePaginator
    from requests.auth import AuthBase

MAX_RESTARTS = 3


@dataclass
class StreamPlan:
    """One pagination to run: a request, the folder its pages land in, what it proves."""

    stream: str
    folder: str
    request: dict[str, Any]
    scope: str = ""
    watermark: str | None = None


@dataclass
class PageOutcome:
    keep_going: bool = True
    watermark: str | None = None


@dataclass
class RunContext:
    endpoint: Endpoint
    config: SourceConfig
    landing: Path
    store: StateStore
    client: RESTClient
    now: datetime
    since: date | None
    lookback_days: int
    policy: RetryPolicy
    log: Callable[[str], None]


@dataclass(frozen=True)
class Endpoint:
    """An API endpoint and the landing folder (ingest asset) its pages fill."""

    source: str
    landing: LandingSource
    plan: Callable[[RunContext], list[StreamPlan]]
    # The dlt paginator for a request about to be sent (fresh, or resumed from state).
    pager: Callable[[dict[str, Any]], BasePaginator]
    data_selector: str = "$"
    on_page: Callable[[RunContext, Stream, Any], PageOutcome] | None = None
    # Replaces paginate() where a page is not an API response (Copilot's signed downloads).
    fetch: Callable[[RunContext, Stream], Iterator[tuple[bytes, dict[str, Any] | None]]] | None = (
        None
    )
    suffix: str = ".json"
    # Endpoints whose pages queue this one's streams; they run first.
    after: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """`<source>/<table>` of its landing folder: the CLI's --source name and the state key."""
        return f"{self.landing.source}/{self.landing.table}"

    @property
    def folder(self) -> str:
        """The landing folder: the fixed part of the folder's first pattern."""
        parts = self.landing.patterns[0].split("/")
        return "/".join(part for part in parts[: next(i for i, p in enumerate(parts) if "*" in p)])


@dataclass
class EndpointResult:
    endpoint: str
    source: str
    status: str  # extracted | skipped | failed
    message: str = ""
    pages: int = 0
    streams: int = 0
    restarts: int = 0
    files: list[str] = field(default_factory=list)


AuthFactory = Callable[[SourceConfig], tuple["AuthBase | None", dict[str, str]]]


def _request_snapshot(request: Any) -> dict[str, Any]:
    """The next request dlt's paginator prepared (method, URL, query, body; no auth)."""
    return {
        "method": request.method,
        "path": request.url,
        "params": copy.deepcopy(request.params) or None,
        "json": copy.deepcopy(request.json) or None,
        "headers": {k: v for k, v in (request.headers or {}).items()},
    }


def _paginate(ctx: RunContext, stream: Stream) -> Iterator[tuple[bytes, dict[str, Any] | None]]:
    request = stream.request
    endpoint = ctx.endpoint
    pages = ctx.client.paginate(
        path=request["path"],
        method=request.get("method", "GET"),
        params=copy.deepcopy(request.get("params")) or None,
        json=copy.deepcopy(request.get("json")) or None,
        headers=request.get("headers") or None,
        paginator=endpoint.pager(request),
        data_selector=endpoint.data_selector,
        timeout=ctx.policy.timeout_seconds,
    )
    for page in pages:
        outcome = endpoint.on_page(ctx, stream, page) if endpoint.on_page else PageOutcome()
        if outcome.watermark:
            stream.watermark = outcome.watermark
        has_next = page.paginator.has_next_page and outcome.keep_going
        yield page.response.content, _request_snapshot(page.request) if has_next else None
        if not outcome.keep_going:
            return


def _run_stream(ctx: RunContext, stream: Stream, result: EndpointResult) -> None:
    endpoint = ctx.endpoint
    fetch = endpoint.fetch or _paginate
    while True:
        try:
            for body, next_request in fetch(ctx, stream):
                number = stream.pages_written + 1
                name = page_name(stream.started_at, stream.stream, number, endpoint.suffix)
                path = write_page(ctx.landing, stream.folder, name, body)
                # Only now, with the page on disk, does the cursor move.
                ctx.store.page_written(stream, number, next_request, stream.watermark)
                relative = path.relative_to(ctx.landing).as_posix()
                if relative not in result.files:  # a restart rewrites its pages in place
                    result.files.append(relative)
                    result.pages += 1
            break
        except ExtractError:
            raise
        except Exception as exc:
            error = explain(exc, endpoint.source, ctx.config.spec.credential_vars, _permission(ctx))
            if not isinstance(error, ExpiredCursor) or stream.restarts >= MAX_RESTARTS:
                raise error from None
            ctx.log(f"{endpoint.name} {stream.stream}: cursor expired (HTTP 410), restarting")
            ctx.store.restart(stream)
            result.restarts += 1
    ctx.store.finish(stream, stream.watermark)
    result.streams += 1


def _permission(ctx: RunContext) -> str:
    return ctx.config.spec.permission


def run_endpoint(
    endpoint: Endpoint,
    config: SourceConfig,
    landing: Path,
    conn: duckdb.DuckDBPyConnection,
    auth: AuthFactory,
    *,
    since: date | None = None,
    lookback_days: int = 35,
    now: datetime | None = None,
    policy: RetryPolicy | None = None,
    log: Callable[[str], None] = print,
) -> EndpointResult:
    """Extract one endpoint into `landing`; never raises for the vendor's failures."""
    result = EndpointResult(endpoint=endpoint.name, source=endpoint.source, status="extracted")
    if not config.is_configured:
        result.status, result.message = "skipped", config.skip_reason()
        return result
    redact = Redactor(config.secrets)
    policy = policy or RetryPolicy()
    started = time.perf_counter()
    try:
        with redacted_dlt_logs(redact):
            credential, headers = auth(config)
            assert config.base_url is not None
            ctx = RunContext(
                endpoint=endpoint,
                config=config,
                landing=landing,
                store=StateStore(conn),
                client=rest_client(config.base_url, credential, headers, policy),
                now=(now or datetime.now(UTC)).replace(microsecond=0),
                since=since,
                lookback_days=lookback_days,
                policy=policy,
                log=lambda message: log(redact(message)),
            )
            finished: set[str] = set()
            for stream in ctx.store.unfinished(endpoint.name):
                _run_stream(ctx, stream, result)
                finished.add(stream.stream)
            for plan in endpoint.plan(ctx):
                if plan.stream in finished:
                    continue  # resumed to its end above: the same request, not a re-pull
                stream = ctx.store.upsert(
                    endpoint.name,
                    plan.stream,
                    scope=plan.scope,
                    status="queued",
                    folder=plan.folder,
                    first_request=plan.request,
                    watermark=plan.watermark,
                    cursor_from=ctx.store.watermark(endpoint.name, plan.scope),
                )
                _run_stream(ctx, stream, result)
                finished.add(plan.stream)
    except (CredentialError, ExtractError) as exc:
        result.status, result.message = "failed", redact(str(exc))
    except Exception as exc:  # a bug or an unexpected payload: still no secret in the message
        result.status = "failed"
        result.message = redact(f"{endpoint.source}: {type(exc).__name__}: {exc}")[:500]
    if result.status == "extracted":
        result.message = (
            f"{result.pages} pages in {result.streams} streams "
            f"({time.perf_counter() - started:.1f}s)"
        )
    return result
