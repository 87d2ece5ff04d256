"""Conformance: Copilot seats against Apache DevLake's gh-copilot e2e golden files.

What the DevLake data is. `_raw_copilot_metrics.csv` holds two records of the new usage-metrics
**organization** report (`/orgs/octodemo/copilot/metrics/reports/organization-1-day?day=...`:
flat `day`, `daily_active_users`, `totals_by_language_feature`). It is not the retired legacy
`/copilot/metrics` API and not the user-level report: it is org-level, with no user in it.
tokenworth stages only the user-level reports, so there is nothing of it to match, and
`test_metrics_payloads_are_organization_reports` pins that down. (DevLake's
`_tool_copilot_org_metrics` snapshot also carries chat and engagement columns that these two
raw records do not contain; they are left alone.)

What is matched. `_raw_copilot_seats.csv` holds one seat object per row (`data`), as DevLake
stores each element of `GET /orgs/{org}/copilot/billing/seats`. They are wrapped back into the
page the API returned (`{total_seats, seats: [...]}`), landed in `github_copilot/seats/` with the
raw row's collection time as the file time, loaded by the generic loader and staged by dbt. The
staged seats must equal DevLake's `_tool_copilot_seats` snapshot on every column the two share:
login, user id, plan type, created / updated / last-activity / last-authenticated times (UTC;
the raw times carry `+03:00` offsets) and editor, and pending cancellation date. DevLake's seat
counts in `_tool_copilot_org_metrics` (`seat_total`, and `seat_active_count` = seats with a
`last_activity_at`) must equal the same counts over the staged seats.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tests.conformance.devlake import DEVLAKE, connection, rows, utc, write_json
from tests.helpers import dbt, load, query

METRICS = DEVLAKE / "gh-copilot" / "e2e" / "metrics"
RAW = METRICS / "raw_tables"
SNAPSHOT = METRICS / "snapshot_tables"


def _land(landing: Path) -> None:
    pages: dict[tuple[int, str], list[dict]] = defaultdict(list)
    collected_at: dict[tuple[int, str], datetime] = {}
    for row in rows(RAW / "_raw_copilot_seats.csv"):
        organization = json.loads(row["params"])["Organization"]
        key = (connection(row), organization)
        pages[key].append(json.loads(row["data"]))
        collected_at[key] = _collected(row)
    for (conn_id, organization), seats in pages.items():
        write_json(
            landing / "github_copilot" / "seats" / f"{organization}_{conn_id}_page_001.json",
            {"total_seats": len(seats), "seats": seats},
            collected_at[(conn_id, organization)],
        )


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("devlake_gh_copilot")
    landing = root / "landing"
    _land(landing)
    db = root / "warehouse.duckdb"
    results = load(landing, db)
    assert not [r.quarantined for r in results if r.quarantined]
    dbt(db, "build", "--select", "stg_github_copilot__seats", "--exclude", "test_type:unit")
    return db


def _collected(row: dict[str, str]) -> datetime:
    """When DevLake collected the raw row (`2025-09-03 00:00:00.000`, UTC), aware."""
    return datetime.fromisoformat(row["created_at"]).replace(tzinfo=UTC)


def _date(value: str) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def test_seats_match_devlake(warehouse: Path) -> None:
    expected = {
        r["user_login"].lower(): (
            int(r["user_id"]),
            r["plan_type"],
            utc(r["created_at"]),
            utc(r["updated_at"]),
            utc(r["last_activity_at"]),
            r["last_activity_editor"],
            utc(r["last_authenticated_at"]),
            _date(r["pending_cancellation_date"]),
        )
        for r in rows(SNAPSHOT / "_tool_copilot_seats.csv")
        if r["connection_id"] == "1"
    }
    actual = {
        r[0]: r[1:]
        for r in query(
            warehouse,
            """
            select user_login, user_id, plan_type, created_at, updated_at, last_activity_at,
                last_activity_editor, last_authenticated_at, pending_cancellation_date
            from staging.stg_github_copilot__seats
            """,
        )
    }
    assert len(expected) == 2
    assert actual == expected


def test_seat_counts_match_devlake_org_metrics(warehouse: Path) -> None:
    expected = {
        (int(r["seat_total"]), int(r["seat_active_count"]))
        for r in rows(SNAPSHOT / "_tool_copilot_org_metrics.csv")
        if r["connection_id"] == "1"
    }
    actual = query(
        warehouse,
        "select count(*), count(last_activity_at) from staging.stg_github_copilot__seats "
        "where is_in_latest_snapshot",
    )
    assert expected == {(2, 1)}
    assert set(actual) == expected


def test_seat_snapshot_time_is_the_collection_time(warehouse: Path) -> None:
    collected = {_collected(r).replace(tzinfo=None) for r in rows(RAW / "_raw_copilot_seats.csv")}
    snapshots = query(warehouse, "select snapshot_at from staging.stg_github_copilot__seats")
    assert {r[0] for r in snapshots} == collected


def test_metrics_payloads_are_organization_reports() -> None:
    for row in rows(RAW / "_raw_copilot_metrics.csv"):
        payload = json.loads(row["data"])
        assert "/copilot/metrics/reports/organization-1-day" in row["url"]
        assert "day" in payload and "daily_active_users" in payload
        assert "user_id" not in payload and "user_login" not in payload
