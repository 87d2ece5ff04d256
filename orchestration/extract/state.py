"""Extraction state in the warehouse: one row per stream (a pagination run of one request).

A stream is `queued` (planned, e.g. a PR's commits after its PR page was seen), `in_progress`
(some pages written; `next_request` says where to go on) or `done`. The row moves only after
a page is on disk, so a killed extraction resumes at the first page it had not written.
`watermark` is what a done stream proves was extracted (the end of a usage window, the newest
`updated_at` seen); `cursor_from` is the watermark a stream started from, still proven while
the stream is re-pulled. The next plan starts from the highest proven one. Requests are
stored as method, URL, query and JSON body: credentials travel in auth headers, never there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb

from orchestration.lib.settings import RAW_SCHEMA

STATE_TABLE = f"{RAW_SCHEMA}._extract_state"

STATE_DDL = f"""
create schema if not exists {RAW_SCHEMA};
create table if not exists {STATE_TABLE} (
    endpoint varchar not null,
    stream varchar not null,
    scope varchar not null,
    status varchar not null,
    folder varchar not null,
    started_at timestamp not null,
    pages_written integer not null,
    first_request json not null,
    next_request json,
    watermark varchar,
    cursor_from varchar,
    restarts integer not null,
    updated_at timestamp not null,
    primary key (endpoint, stream)
)
"""


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass
class Stream:
    endpoint: str
    stream: str
    scope: str
    status: str
    folder: str
    started_at: datetime
    pages_written: int
    first_request: dict[str, Any]
    next_request: dict[str, Any] | None
    watermark: str | None
    cursor_from: str | None
    restarts: int

    @property
    def request(self) -> dict[str, Any]:
        """Where the stream goes on: the saved next request, else its first one."""
        return self.next_request or self.first_request


_COLUMNS = (
    "endpoint, stream, scope, status, folder, started_at, pages_written, first_request, "
    "next_request, watermark, cursor_from, restarts"
)


def _row_to_stream(row: tuple) -> Stream:
    return Stream(
        endpoint=row[0],
        stream=row[1],
        scope=row[2],
        status=row[3],
        folder=row[4],
        started_at=row[5],
        pages_written=row[6],
        first_request=json.loads(row[7]),
        next_request=json.loads(row[8]) if row[8] else None,
        watermark=row[9],
        cursor_from=row[10],
        restarts=row[11],
    )


class StateStore:
    def __init__(self, conn: duckdb.DuckDBPyConnection) -> None:
        self.conn = conn
        conn.execute(STATE_DDL)

    def get(self, endpoint: str, stream: str) -> Stream | None:
        row = self.conn.execute(
            f"select {_COLUMNS} from {STATE_TABLE} where endpoint = ? and stream = ?",
            [endpoint, stream],
        ).fetchone()
        return _row_to_stream(row) if row else None

    def unfinished(self, endpoint: str) -> list[Stream]:
        rows = self.conn.execute(
            f"select {_COLUMNS} from {STATE_TABLE} where endpoint = ? "
            "and status in ('queued', 'in_progress') order by started_at, stream",
            [endpoint],
        ).fetchall()
        return [_row_to_stream(row) for row in rows]

    def watermark(self, endpoint: str, scope: str = "") -> str | None:
        row = self.conn.execute(
            "select max(case when status = 'done' then watermark else cursor_from end) "
            f"from {STATE_TABLE} where endpoint = ? and scope = ?",
            [endpoint, scope],
        ).fetchone()
        return row[0] if row else None

    def upsert(
        self,
        endpoint: str,
        stream: str,
        *,
        scope: str,
        status: str,
        folder: str,
        first_request: dict[str, Any],
        watermark: str | None,
        cursor_from: str | None = None,
        started_at: datetime | None = None,
    ) -> Stream:
        """Plan (or re-plan) a stream from its first page."""
        self.conn.execute(
            f"insert or replace into {STATE_TABLE} "
            "values (?, ?, ?, ?, ?, ?, 0, ?, null, ?, ?, 0, ?)",
            [
                endpoint,
                stream,
                scope,
                status,
                folder,
                started_at or _now(),
                json.dumps(first_request, sort_keys=True),
                watermark,
                cursor_from,
                _now(),
            ],
        )
        stream_row = self.get(endpoint, stream)
        assert stream_row is not None
        return stream_row

    def page_written(
        self, stream: Stream, pages: int, next_request: dict[str, Any] | None, watermark: str | None
    ) -> None:
        self.conn.execute(
            f"update {STATE_TABLE} set status = 'in_progress', pages_written = ?, "
            "next_request = ?, watermark = ?, updated_at = ? where endpoint = ? and stream = ?",
            [
                pages,
                json.dumps(next_request, sort_keys=True) if next_request else None,
                watermark,
                _now(),
                stream.endpoint,
                stream.stream,
            ],
        )
        stream.pages_written = pages
        stream.next_request = next_request
        stream.watermark = watermark
        stream.status = "in_progress"

    def restart(self, stream: Stream) -> None:
        """Back to the first page (an expired cursor); pages are rewritten under the same names."""
        self.conn.execute(
            f"update {STATE_TABLE} set pages_written = 0, next_request = null, "
            "restarts = restarts + 1, updated_at = ? where endpoint = ? and stream = ?",
            [_now(), stream.endpoint, stream.stream],
        )
        stream.pages_written = 0
        stream.next_request = None
        stream.restarts += 1

    def finish(self, stream: Stream, watermark: str | None) -> None:
        self.conn.execute(
            f"update {STATE_TABLE} set status = 'done', next_request = null, watermark = ?, "
            "updated_at = ? where endpoint = ? and stream = ?",
            [watermark, _now(), stream.endpoint, stream.stream],
        )
        stream.status = "done"
        stream.watermark = watermark
