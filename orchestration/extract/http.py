"""HTTP for the extractor: dlt's RESTClient over dlt's retrying requests session.

Why dlt (see docs/extract.md): its paginators cover every vendor style here (JSON cursor in
the query or the body, the GitHub `Link` header, page numbers in the query or the body), its
session retries 429 honouring `Retry-After` and 5xx with bounded exponential backoff, and each
page it yields carries the raw `requests.Response`, whose `.content` we land byte for byte.

Credentials are applied by `requests` auth objects at send time, so they are never part of a
stored request, a URL or dlt's request log line. Every message that leaves this package goes
through `Redactor`, which also filters dlt's own log records.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import requests
from requests.auth import AuthBase, HTTPBasicAuth

if TYPE_CHECKING:
    from dlt.sources.helpers.rest_client import RESTClient


class ExtractError(Exception):
    """An extraction failure whose message is safe to log (no secrets, one line)."""


class CredentialError(ExtractError):
    """401/403: the credential is missing its permission, expired or wrong."""


class ExpiredCursor(ExtractError):
    """HTTP 410: the pagination cursor expired; the stream restarts from its first page."""


class Redactor:
    def __init__(self, secrets: Iterable[str]) -> None:
        # Longest first, so a secret that contains another is removed whole.
        self.secrets = sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "[redacted]")
        return text


class _RedactingFilter(logging.Filter):
    def __init__(self, redact: Redactor) -> None:
        super().__init__()
        self.redact = redact

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = self.redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


@contextmanager
def redacted_dlt_logs(redact: Redactor) -> Iterator[None]:
    """dlt logs each request's URL (and, at debug level, its unprepared headers). Neither holds
    a credential here, but its records are filtered anyway while a source runs."""
    dlt_logger = logging.getLogger("dlt")
    log_filter = _RedactingFilter(redact)
    dlt_logger.addFilter(log_filter)
    try:
        yield
    finally:
        dlt_logger.removeFilter(log_filter)


class HeaderAuth(AuthBase):
    """Credential headers (`x-api-key`, `Authorization: Bearer`) set at send time."""

    def __init__(self, headers: dict[str, str]) -> None:
        self._headers = headers

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers.update(self._headers)
        return request

    def __repr__(self) -> str:
        return "HeaderAuth([redacted])"


def bearer(token: str) -> AuthBase:
    return HeaderAuth({"Authorization": f"Bearer {token}"})


def basic(user: str, password: str) -> AuthBase:
    return HTTPBasicAuth(user, password)


@dataclass(frozen=True)
class RetryPolicy:
    """429 waits `Retry-After` (capped at `max_delay_seconds`); 5xx and dropped connections
    wait `backoff_seconds` x 2^n; after `max_attempts` the last error stands."""

    max_attempts: int = 5
    backoff_seconds: float = 1.0
    max_delay_seconds: float = 300.0
    timeout_seconds: float = 60.0


def _rate_limited(response: requests.Response | None, _: BaseException | None) -> bool:
    """GitHub answers a rate limit with 403 (and Retry-After or x-ratelimit-remaining: 0),
    not 429: wait and retry it like a 429 instead of calling the credential bad."""
    if response is None or response.status_code != 403:
        return False
    return bool(response.headers.get("Retry-After")) or (
        response.headers.get("x-ratelimit-remaining") == "0"
    )


def session(policy: RetryPolicy) -> requests.Session:
    from dlt.sources.helpers.requests.retry import Client

    return Client(
        retry_condition=_rate_limited,
        request_timeout=policy.timeout_seconds,
        raise_for_status=False,
        request_max_attempts=policy.max_attempts,
        request_backoff_factor=policy.backoff_seconds,
        request_max_retry_delay=policy.max_delay_seconds,
        respect_retry_after_header=True,
    ).session


def rest_client(
    base_url: str, auth: AuthBase | None, headers: dict[str, str], policy: RetryPolicy
) -> RESTClient:
    from dlt.common.configuration.specs import RuntimeConfiguration
    from dlt.sources.helpers.rest_client import RESTClient

    config = RuntimeConfiguration()
    # dlt puts the response body in its HTTPError text; ours are built from the status alone.
    config.http_show_error_body = False
    return RESTClient(
        base_url=base_url, headers=headers, auth=auth, session=session(policy), config=config
    )


def status_of(exc: BaseException) -> int | None:
    response = getattr(exc, "response", None)
    return getattr(response, "status_code", None)


def explain(exc: BaseException, source: str, variables: tuple[str, ...], permission: str) -> Any:
    """The clear error for an HTTP failure: which source, what to set, never the secret."""
    status = status_of(exc)
    names = " and ".join(variables)
    response = getattr(exc, "response", None)
    if status == 403 and _rate_limited(response, None):
        return ExtractError(
            f"{source}: HTTP 403, the API rate limit stayed exhausted after retries"
        )
    if status in (401, 403):
        verdict = "rejected the credential" if status == 401 else "refused access"
        return CredentialError(
            f"{source}: HTTP {status}, the API {verdict}; check {names} ({permission})"
        )
    if status == 410:
        return ExpiredCursor(f"{source}: HTTP 410, the pagination cursor expired")
    if status is not None:
        return ExtractError(f"{source}: HTTP {status} from the API after retries")
    return ExtractError(f"{source}: {type(exc).__name__} talking to the API")
