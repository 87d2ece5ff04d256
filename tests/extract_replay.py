"""A local replay of the vendors' APIs for the extraction tests (127.0.0.1, a thread).

Records are vendor-shaped (built from the in-repo vendor examples), generated per UTC day from
the request's own window, so a re-pull of a window serves the same bytes. Each vendor pages in
its own style: `has_more`/`next_page` (Anthropic, OpenAI), the `Link` header (GitHub), page
numbers in the POST body or the query (Cursor), `nextPageToken` in the POST body (Jira), one
page (LiteLLM, Copilot billing). Pages are deliberately small (2 records) so every stream has
several. Faults (429 with Retry-After, a 500, 401, 410 for an expired cursor, a held page for
the kill test) are armed by the tests. Every request and every body served is recorded.
"""

from __future__ import annotations

import base64
import copy
import json
import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

EXAMPLES = Path(__file__).resolve().parent / "fixtures" / "vendor_examples"
PAGE = 2

SECRETS = {
    "ANTHROPIC_ADMIN_API_KEY": "sk-ant-admin01-replay-anthropic-7f3a9c",
    "OPENAI_ADMIN_KEY": "sk-admin-replay-openai-51d2e8",
    "GITHUB_TOKEN": "ghp_replaygithubtoken0042",
    "CURSOR_API_KEY": "key_replay_cursor_9b8a7c",
    "JIRA_API_TOKEN": "ATATT-replay-jira-token-33",
    "LITELLM_API_KEY": "sk-litellm-replay-master-11",
}
PEOPLE = ("ada@acme.dev", "bob@acme.dev")
LOGINS = ("ada-gh", "bob-gh")


def _example(name: str) -> Any:
    return json.loads((EXAMPLES / name).read_text())


def _day(text: str) -> date:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC).date()


def _days(start: date, end_exclusive: date) -> list[date]:
    return [start + timedelta(n) for n in range((end_exclusive - start).days)]


def _z(day: date, hour: int = 0) -> str:
    return f"{day:%Y-%m-%d}T{hour:02d}:00:00Z"


@dataclass
class Fault:
    path: str
    status: int
    times: int = 1
    headers: dict[str, str] = field(default_factory=dict)
    only_with: str | None = None  # a query/body key that must be present (a cursor)


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    body: dict[str, Any] | None
    authorization: str | None
    at: float


class Replay:
    def __init__(self, anchor: date = date(2026, 11, 10)) -> None:
        # PRs and issues are dated in the days before `anchor` (the tests' "now").
        self.anchor = anchor
        self.requests: list[Seen] = []
        self.served: list[tuple[str, bytes]] = []  # (path, body) of every 200 page
        self.faults: list[Fault] = []
        self.hold_path: str | None = None
        self.hold_page: str | None = None
        self.release = threading.Event()
        self.pulls = self._pulls()
        self.jira_issues = self._jira_issues()
        replay = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                return

            def do_GET(self) -> None:
                replay._handle(self, None)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                replay._handle(self, json.loads(self.rfile.read(length) or b"{}"))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def env(self) -> dict[str, str]:
        return {
            **SECRETS,
            "JIRA_EMAIL": "robot@acme.dev",
            "TOKENWORTH_ANTHROPIC_BASE_URL": self.url,
            "TOKENWORTH_OPENAI_BASE_URL": self.url,
            "TOKENWORTH_GITHUB_BASE_URL": self.url,
            "TOKENWORTH_CURSOR_BASE_URL": self.url,
            "TOKENWORTH_JIRA_BASE_URL": self.url,
            "LITELLM_BASE_URL": self.url,
            "TOKENWORTH_GITHUB_REPOS": "acme/app",
            "TOKENWORTH_GITHUB_ORG": "acme",
            "TOKENWORTH_JIRA_JQL": "project = APP",
        }

    def seen(self, path: str) -> list[Seen]:
        return [r for r in self.requests if r.path == path]

    # -- dispatch ----------------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler, body: dict[str, Any] | None) -> None:
        parts = urlsplit(handler.path)
        query = parse_qs(parts.query)
        self.requests.append(
            Seen(
                handler.command,
                parts.path,
                query,
                body,
                handler.headers.get("Authorization") or handler.headers.get("x-api-key"),
                datetime.now(UTC).timestamp(),
            )
        )
        for fault in self.faults:
            wanted = (
                fault.only_with is None
                or fault.only_with in query
                or (body is not None and body.get(fault.only_with))
            )
            if fault.times > 0 and parts.path.startswith(fault.path) and wanted:
                fault.times -= 1
                return self._send(
                    handler, fault.status, b'{"error":"replayed fault"}', fault.headers
                )
        page = (query.get("page") or [None])[0] or (body or {}).get("page")
        if self.hold_path == parts.path and str(page) == str(self.hold_page):
            self.release.wait(60)
            return self._send(handler, 503, b"{}", {})
        try:
            status, payload, headers = self._route(parts.path, query, body)
        except KeyError:
            return self._send(handler, 404, b'{"error":"not found"}', {})
        raw = payload if isinstance(payload, bytes) else json.dumps(payload, indent=1).encode()
        if status == 200:
            self.served.append((parts.path, raw))
        self._send(handler, status, raw, headers)

    @staticmethod
    def _send(handler: Any, status: int, raw: bytes, headers: dict[str, str]) -> None:
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(raw)))
            for key, value in headers.items():
                handler.send_header(key, value)
            handler.end_headers()
            handler.wfile.write(raw)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _route(self, path: str, q: dict[str, list[str]], body: dict[str, Any] | None) -> Any:
        one = {k: v[0] for k, v in q.items()}
        if path == "/v1/organizations/usage_report/messages":
            return self._cursor_page(self._anthropic_buckets(one, self._message_result), one)
        if path == "/v1/organizations/cost_report":
            return self._cursor_page(self._anthropic_buckets(one, self._cost_result), one)
        if path == "/v1/organizations/usage_report/claude_code":
            return self._cursor_page(self._claude_code(one["starting_at"]), one)
        if path == "/v1/organizations/analytics/usage":
            return self._cursor_page(self._analytics(one, "usage"), one)
        if path == "/v1/organizations/analytics/cost":
            return self._cursor_page(self._analytics(one, "cost"), one)
        if path == "/v1/organization/usage/completions":
            return self._cursor_page(self._openai(one, "usage"), one)
        if path == "/v1/organization/costs":
            return self._cursor_page(self._openai(one, "costs"), one)
        if path == "/repos/acme/app/pulls":
            return self._link_page(path, q, self.pulls)
        if path.startswith("/repos/acme/app/pulls/"):
            _, number, kind = path.rsplit("/", 2)
            return self._link_page(path, q, self._pull_children(int(number), kind))
        if path == "/orgs/acme/copilot/billing/seats":
            return self._seats(path, q)
        if path == "/orgs/acme/copilot/metrics/reports/users-1-day":
            day = one["day"]
            link = f"{self.url}/downloads/users-{day}.ndjson?sig=replay-signature"
            return 200, {"download_links": [link], "report_day": day}, {}
        if path.startswith("/downloads/users-"):
            return 200, self._copilot_users(path.removeprefix("/downloads/users-")[:10]), {}
        if path.startswith("/organizations/acme/settings/billing/"):
            return 200, self._copilot_billing(one), {}
        if path == "/teams/filtered-usage-events":
            return self._cursor_events(body or {})
        if path == "/analytics/ai-code/commits":
            return self._cursor_commits(one)
        if path == "/rest/api/3/search/jql":
            return self._jira(body or {})
        if path == "/spend/logs":
            return 200, self._spend_logs(one["start_date"]), {}
        raise KeyError(path)

    # -- pagination styles -------------------------------------------------------------------

    @staticmethod
    def _cursor_page(records: list[Any], one: dict[str, str]) -> Any:
        offset = int(base64.b64decode(one["page"]).decode()) if one.get("page") else 0
        chunk = records[offset : offset + PAGE]
        more = offset + PAGE < len(records)
        token = base64.b64encode(str(offset + PAGE).encode()).decode() if more else None
        return 200, {"data": chunk, "has_more": more, "next_page": token}, {}

    def _link_page(self, path: str, q: dict[str, list[str]], records: list[Any]) -> Any:
        number = int((q.get("page") or ["1"])[0])
        chunk = records[(number - 1) * PAGE : number * PAGE]
        headers = {}
        if number * PAGE < len(records):
            query = {k: v[0] for k, v in q.items() if k != "page"} | {"page": number + 1}
            headers["Link"] = f'<{self.url}{path}?{urlencode(query)}>; rel="next"'
        return 200, chunk, headers

    # -- vendor data -------------------------------------------------------------------------

    def _anthropic_buckets(self, one: dict[str, str], result: Any) -> list[Any]:
        days = _days(_day(one["starting_at"]), _day(one["ending_at"]))
        return [
            {"starting_at": _z(d), "ending_at": _z(d + timedelta(1)), "results": [result(d)]}
            for d in days
        ]

    @staticmethod
    def _message_result(day: date) -> Any:
        row = copy.deepcopy(_example("anthropic_usage_messages.json")["data"][0]["results"][0])
        row.update(
            api_key_id="apikey_ada",
            account_id=None,
            model="claude-sonnet-4-5",
            uncached_input_tokens=1000 + day.day,
            output_tokens=200,
        )
        return row

    @staticmethod
    def _cost_result(day: date) -> Any:
        row = copy.deepcopy(_example("anthropic_cost_report.json")["data"][0]["results"][0])
        row.update(amount=f"{150 + day.day}.25", model="claude-sonnet-4-5")
        return row

    @staticmethod
    def _claude_code(day_text: str) -> list[Any]:
        record = copy.deepcopy(_example("claude_code_analytics.json")["data"][0])
        record["date"] = f"{day_text}T00:00:00Z"
        record["actor"] = {"type": "user_actor", "email_address": PEOPLE[0]}
        return [record]

    @staticmethod
    def _analytics(one: dict[str, str], kind: str) -> list[Any]:
        rows = []
        for d in _days(_day(one["starting_at"]), _day(one["ending_at"])):
            for n, email in enumerate(PEOPLE):
                group = {
                    "actor": {"type": "user_actor", "user_id": f"user_{n}", "email_address": email},
                    "model": "claude-sonnet-4-5",
                    "product": "claude_code",
                }
                row: dict[str, Any] = {"starting_at": _z(d), "ending_at": _z(d + timedelta(1))}
                row["group"] = group
                if kind == "usage":
                    row["usage"] = {
                        "uncached_input_tokens": 500 * (n + 1) + d.day,
                        "cache_creation": {
                            "ephemeral_5m_input_tokens": 10,
                            "ephemeral_1h_input_tokens": 0,
                        },
                        "cache_read_input_tokens": 4000,
                        "output_tokens": 300,
                        "requests": 7,
                        "server_tool_use": {"web_search_requests": 0},
                    }
                else:
                    amount = f"{1000 + 37 * n + d.day}.123456"
                    row["cost"] = {
                        "amount": amount,
                        "list_amount": "2000",
                        "currency": "USD",
                        "requests": 7,
                    }
                rows.append(row)
        return rows

    @staticmethod
    def _openai(one: dict[str, str], kind: str) -> list[Any]:
        start = datetime.fromtimestamp(int(one["start_time"]), UTC).date()
        end = datetime.fromtimestamp(int(one["end_time"]), UTC).date() + timedelta(1)
        buckets = []
        for d in _days(start, end):
            if datetime.combine(d, datetime.min.time(), UTC).timestamp() >= int(one["end_time"]):
                break
            if kind == "usage":
                result = copy.deepcopy(_example("openai_usage_completions_result_object.json"))
            else:
                result = copy.deepcopy(_example("openai_costs_result_object.json"))
                result["amount"]["value"] = 0.5 + d.day / 100
            epoch = int(datetime.combine(d, datetime.min.time(), UTC).timestamp())
            buckets.append(
                {
                    "object": "bucket",
                    "start_time": epoch,
                    "end_time": epoch + 86400,
                    "results": [result],
                }
            )
        return buckets

    def _pulls(self) -> list[Any]:
        base = _example("github_pulls.json")[0]
        pulls = []
        for number in range(1, 6):
            pull = copy.deepcopy(base)
            day = self.anchor - timedelta(days=6 - number)
            updated = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
            pull.update(
                number=number,
                id=number,
                title=f"APP-{number} change",
                state="closed",
                created_at=(updated - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                updated_at=updated.strftime("%Y-%m-%dT%H:%M:%SZ"),
                closed_at=updated.strftime("%Y-%m-%dT%H:%M:%SZ"),
                merged_at=updated.strftime("%Y-%m-%dT%H:%M:%SZ"),
            )
            pull["user"]["login"] = LOGINS[number % 2]
            pull["head"]["ref"] = f"feature/APP-{number}"
            pulls.append(pull)
        return sorted(pulls, key=lambda p: p["updated_at"], reverse=True)

    def add_pull(self, number: int, updated: datetime) -> None:
        pull = copy.deepcopy(self.pulls[0])
        stamp = updated.strftime("%Y-%m-%dT%H:%M:%SZ")
        pull.update(number=number, id=number, updated_at=stamp, closed_at=stamp, merged_at=stamp)
        self.pulls = sorted([*self.pulls, pull], key=lambda p: p["updated_at"], reverse=True)

    def _pull_children(self, number: int, kind: str) -> list[Any]:
        pull = next(p for p in self.pulls if p["number"] == number)
        if kind == "commits":
            commits = []
            for n in range(3):
                commit = copy.deepcopy(_example("github_pull_commits.json")[0])
                commit["sha"] = f"{number:02d}{n}" + "a" * 37
                commit["commit"]["author"]["date"] = pull["created_at"]
                commit["commit"]["author"]["email"] = PEOPLE[number % 2]
                commit["commit"]["message"] = f"APP-{number} step {n}"
                commits.append(commit)
            return commits
        if kind == "reviews":
            review = copy.deepcopy(_example("github_pull_reviews.json")[0])
            review.update(id=number * 10, submitted_at=pull["updated_at"])
            review["user"]["login"] = LOGINS[(number + 1) % 2]
            return [review]
        return [
            {
                "sha": "b" * 40,
                "filename": f"src/module_{number}.py",
                "status": "modified",
                "additions": 3,
                "deletions": 1,
                "changes": 4,
            }
        ]

    def _seats(self, path: str, q: dict[str, list[str]]) -> Any:
        example = _example("copilot_seats.json")
        seats = []
        for n, login in enumerate((*LOGINS, "carol-gh")):
            seat = copy.deepcopy(example["seats"][0])
            seat["assignee"]["login"] = login
            seat["assignee"]["id"] = 100 + n
            seats.append(seat)
        status, chunk, headers = self._link_page(path, q, seats)
        return status, {"total_seats": len(seats), "seats": chunk}, headers

    @staticmethod
    def _copilot_users(day: str) -> bytes:
        record = _example("copilot_usage_metrics_user_level.json")[0]
        lines = []
        for n, login in enumerate(LOGINS):
            line = copy.deepcopy(record)
            line.update(day=day, user_login=login, user_id=100 + n)
            lines.append(json.dumps(line))
        return ("\n".join(lines) + "\n").encode()

    @staticmethod
    def _copilot_billing(one: dict[str, str]) -> Any:
        return {
            "timePeriod": {
                "year": int(one["year"]),
                "month": int(one["month"]),
                "day": int(one["day"]),
            },
            "organization": "acme",
            "usageItems": [
                {
                    "product": "Copilot",
                    "sku": "Copilot AI Credits",
                    "model": "GPT-5",
                    "unitType": "credits",
                    "pricePerUnit": 0.01,
                    "grossQuantity": 300 + int(one["day"]),
                    "grossAmount": 3.0,
                    "discountQuantity": 100,
                    "discountAmount": 1.0,
                    "netQuantity": 200,
                    "netAmount": 2.0,
                }
            ],
        }

    @staticmethod
    def _cursor_events(body: dict[str, Any]) -> Any:
        example = _example("cursor_usage_events.json")
        events = []
        start = datetime.fromtimestamp(body["startDate"] / 1000, UTC).date()
        end = datetime.fromtimestamp(body["endDate"] / 1000, UTC).date()
        for d in _days(start, end + timedelta(1)):
            event = copy.deepcopy(example["usageEvents"][0])
            event["timestamp"] = str(
                int(datetime.combine(d, datetime.min.time(), UTC).timestamp() * 1000)
            )
            event["userEmail"] = PEOPLE[d.day % 2]
            events.append(event)
        page = int(body.get("page", 1))
        chunk = events[(page - 1) * PAGE : page * PAGE]
        pages = max(1, -(-len(events) // PAGE))
        return (
            200,
            {
                "totalUsageEventsCount": len(events),
                "pagination": {
                    "numPages": pages,
                    "currentPage": page,
                    "pageSize": PAGE,
                    "hasNextPage": page < pages,
                    "hasPreviousPage": page > 1,
                },
                "usageEvents": chunk,
                "period": {"startDate": body["startDate"], "endDate": body["endDate"]},
            },
            {},
        )

    @staticmethod
    def _cursor_commits(one: dict[str, str]) -> Any:
        item = _example("cursor_ai_code_commits.json")["items"][0]
        items = []
        for n in range(3):
            commit = copy.deepcopy(item)
            commit["commitHash"] = f"01{n}" + "a" * 37
            items.append(commit)
        page = int(one.get("page", 1))
        return (
            200,
            {
                "items": items[(page - 1) * PAGE : page * PAGE],
                "totalCount": len(items),
                "page": page,
                "pageSize": PAGE,
            },
            {},
        )

    def _jira_issues(self) -> list[Any]:
        issues = []
        for n in range(1, 4):
            stamp = f"{self.anchor - timedelta(days=5 - n):%Y-%m-%d}T10:00:00.000+0000"
            created = f"{self.anchor - timedelta(days=7 - n):%Y-%m-%d}T09:00:00.000+0000"
            issues.append(
                {
                    "id": str(10000 + n),
                    "key": f"APP-{n}",
                    "fields": {
                        "summary": f"Issue {n}",
                        "project": {"key": "APP"},
                        "issuetype": {"name": "Story", "subtask": False},
                        "status": {"id": "3", "name": "Done", "statusCategory": {"key": "done"}},
                        "created": created,
                        "updated": stamp,
                        "resolutiondate": stamp,
                        "labels": [],
                    },
                    "changelog": {"histories": []},
                }
            )
        return issues

    def _jira(self, body: dict[str, Any]) -> Any:
        offset = int(body["nextPageToken"]) if body.get("nextPageToken") else 0
        chunk = self.jira_issues[offset : offset + PAGE]
        page: dict[str, Any] = {"issues": chunk, "isLast": offset + PAGE >= len(self.jira_issues)}
        if not page["isLast"]:
            page["nextPageToken"] = str(offset + PAGE)
        return 200, page, {}

    @staticmethod
    def _spend_logs(day: str) -> list[Any]:
        return [
            {
                "request_id": f"req-{day}-{n}",
                "call_type": "acompletion",
                "api_key": "hashed-key",
                "spend": 0.25 + n,
                "total_tokens": 1500,
                "prompt_tokens": 1000,
                "completion_tokens": 500,
                "startTime": f"{day}T08:0{n}:00Z",
                "endTime": f"{day}T08:0{n}:05Z",
                "model": "gpt-4o",
                "custom_llm_provider": "openai",
                "user": PEOPLE[n % 2],
                "metadata": {"user_api_key_alias": "team-key"},
                "cache_hit": "False",
                "request_tags": [],
                "status": "success",
            }
            for n in range(2)
        ]
