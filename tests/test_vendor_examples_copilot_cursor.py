"""GitHub Copilot and Cursor vendor examples, placed in their landing folders, load and land in
staging with the right units (issue 4). Every expected number is derived here from the example
files themselves, not copied from the models.

`copilot_metrics.json` is the retired legacy `GET /orgs/{org}/copilot/metrics` API: org-level
only, no per-user data. It is not user data; it is dropped into the users folder here only to
show that it (and an enterprise-level report) yields no user-day.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, dbt, load, query

USERS = "github_copilot/users"
SEATS = "github_copilot/seats"
# Deliveries are ordered by file modified time: the NDJSON download is the newer one.
OLDER = datetime(2025, 10, 2, 6, 0, tzinfo=UTC)
NEWER = datetime(2025, 10, 3, 6, 0, tzinfo=UTC)


def _example(name: str) -> object:
    # Floats as Decimal: the exact text of `40.16699999999999`, never a binary double.
    return json.loads((EXAMPLES / name).read_text(), parse_float=Decimal)


def _place(landing: Path, name: str, folder: str, modified: datetime | None = None) -> Path:
    target = landing / folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(EXAMPLES / name, target)
    if modified is not None:
        os.utime(target, (modified.timestamp(), modified.timestamp()))
    return target


def _utc(value: str | None) -> datetime | None:
    """An ISO 8601 timestamp with any offset as naive UTC (the warehouse convention)."""
    if value is None:
        return None
    return datetime.fromisoformat(value).astimezone(UTC).replace(tzinfo=None)


def _cents_to_usd(*cents: Decimal | int) -> Decimal:
    """The documented conversion: each cents float read as a decimal with 12 places, summed
    exactly, times 0.01, rounded half away from zero to 10 places (DECIMAL(38,10))."""
    total = sum((Decimal(c).quantize(Decimal("1e-12"), ROUND_HALF_UP) for c in cents), Decimal(0))
    return (total * Decimal("0.01")).quantize(Decimal("1e-10"), ROUND_HALF_UP)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("examples_copilot_cursor")
    landing = root / "landing"

    # The user-level report as the docs print it (a JSON array), and the same records as the
    # NDJSON file the reports API really serves, delivered a day later.
    _place(landing, "copilot_usage_metrics_user_level.json", USERS, OLDER)
    ndjson = landing / USERS / "users-1-day_2025-10-01.ndjson"
    records = json.loads((EXAMPLES / "copilot_usage_metrics_user_level.json").read_text())
    ndjson.write_text("".join(json.dumps(r) + "\n" for r in records))
    os.utime(ndjson, (NEWER.timestamp(), NEWER.timestamp()))
    # Not user data: the legacy org metrics API and an enterprise-level report.
    _place(landing, "copilot_metrics.json", USERS, OLDER)
    _place(landing, "copilot_usage_metrics_enterprise_level.json", USERS, OLDER)

    _place(landing, "copilot_seats.json", SEATS, NEWER)
    _place(landing, "cursor_usage_events.json", "cursor/usage_events")
    _place(landing, "cursor_ai_code_commits.json", "cursor/ai_code_commits")

    db = root / "examples.duckdb"
    results = load(landing, db)
    assert not [r.quarantined for r in results if r.quarantined]
    dbt(
        db,
        "build",
        "--select",
        "staging.github_copilot staging.cursor copilot_seat_prices",
        "--exclude",
        "test_type:unit",
    )
    return db


def test_every_record_lands_as_one_raw_row(warehouse: Path) -> None:
    rows = dict(
        query(
            warehouse,
            "select _source_file, count(*) from raw.github_copilot__users group by 1",
        )
    )
    # JSON arrays are unnested, NDJSON gives one row per line.
    assert rows == {
        f"{USERS}/copilot_usage_metrics_user_level.json": 1,
        f"{USERS}/users-1-day_2025-10-01.ndjson": 1,
        f"{USERS}/copilot_metrics.json": len(_example("copilot_metrics.json")),
        f"{USERS}/copilot_usage_metrics_enterprise_level.json": 1,
    }
    assert query(warehouse, "select count(*) from raw.cursor__usage_events") == [(1,)]


def test_copilot_user_day_keeps_flags_and_cli_tokens(warehouse: Path) -> None:
    (record,) = _example("copilot_usage_metrics_user_level.json")
    cli = record["totals_by_cli"]
    rows = query(
        warehouse,
        """
        select usage_date, user_id, user_login, has_used_agent, has_used_chat, has_used_cli,
            cli_session_count, cli_request_count, cli_prompt_count, cli_prompt_tokens,
            cli_output_tokens, cli_version, loc_suggested_to_add_sum, loc_suggested_to_delete_sum,
            loc_added_sum, loc_deleted_sum, uncached_input_tokens, cache_read_tokens,
            cache_write_tokens, output_tokens
        from staging.stg_github_copilot__user_days
        """,
    )
    assert rows == [
        (
            date.fromisoformat(record["day"]),
            record["user_id"],
            record["user_login"].lower(),
            record["used_agent"],
            record["used_chat"],
            record["used_cli"],
            cli["session_count"],
            cli["request_count"],
            cli["prompt_count"],
            cli["token_usage"]["prompt_tokens_sum"],
            cli["token_usage"]["output_tokens_sum"],
            cli["last_known_cli_version"]["cli_version"],
            record["loc_suggested_to_add_sum"],
            record["loc_suggested_to_delete_sum"],
            record["loc_added_sum"],
            record["loc_deleted_sum"],
            cli["token_usage"]["prompt_tokens_sum"],
            0,
            0,
            cli["token_usage"]["output_tokens_sum"],
        )
    ]
    # As in the file: a CLI-only day, 3,800 prompt and 5,000 output tokens.
    assert rows[0][3:6] == (False, False, True) and rows[0][9:11] == (3800, 5000)


def test_copilot_user_day_newest_delivery_wins(warehouse: Path) -> None:
    rows = query(
        warehouse,
        "select _source_file, _file_modified_at from staging.stg_github_copilot__user_days",
    )
    assert rows == [(f"{USERS}/users-1-day_2025-10-01.ndjson", NEWER.replace(tzinfo=None))]


def test_legacy_org_metrics_and_enterprise_reports_are_not_user_days(warehouse: Path) -> None:
    legacy = _example("copilot_metrics.json")
    assert all("user_login" not in day and "user_id" not in day for day in legacy)
    assert query(
        warehouse,
        "select count(*) from staging.stg_github_copilot__user_days "
        "where _source_file not like '%user_level.json' and _source_file not like '%.ndjson'",
    ) == [(0,)]


def test_copilot_seat_timestamps_are_utc(warehouse: Path) -> None:
    page = _example("copilot_seats.json")
    expected = {
        seat["assignee"]["login"].lower(): (
            seat["assignee"]["id"],
            seat.get("plan_type"),
            _utc(seat["created_at"]),
            _utc(seat["updated_at"]),
            _utc(seat["last_activity_at"]),
            seat["last_activity_editor"],
            _utc(seat["last_authenticated_at"]),
            date.fromisoformat(seat["pending_cancellation_date"])
            if seat["pending_cancellation_date"]
            else None,
            (seat.get("assigning_team") or {}).get("slug"),
            page["total_seats"],
            NEWER.replace(tzinfo=None),
        )
        for seat in page["seats"]
    }
    actual = {
        r[0]: r[1:]
        for r in query(
            warehouse,
            """
            select user_login, user_id, plan_type, created_at, updated_at, last_activity_at,
                last_activity_editor, last_authenticated_at, pending_cancellation_date,
                assigning_team_slug, page_total_seats, snapshot_at
            from staging.stg_github_copilot__seats
            """,
        )
    }
    assert actual == expected
    # `2021-08-03T18:00:00-06:00` is midnight UTC the next day.
    assert actual["octocat"][2] == datetime(2021, 8, 4, 0, 0)
    assert actual["octokitten"][4] == datetime(2021, 10, 13, 6, 53, 32)


def test_copilot_seats_price_by_plan(warehouse: Path) -> None:
    rows = query(
        warehouse,
        """
        select seats.user_login, prices.usd_per_seat_month
        from staging.stg_github_copilot__seats as seats
        left join seeds.copilot_seat_prices as prices
            on seats.plan_type = prices.plan_type
            and seats.snapshot_date >= prices.valid_from
            and (prices.valid_to is null or seats.snapshot_date < prices.valid_to)
        order by 1
        """,
    )
    # The second example seat has no plan_type, so it cannot be priced from the list.
    assert rows == [("octocat", Decimal("19")), ("octokitten", None)]


def test_cursor_cost_is_cents_floats_plus_token_fee(warehouse: Path) -> None:
    events = _example("cursor_usage_events.json")["usageEvents"]
    expected = {}
    for event in events:
        usage = event.get("tokenUsage", {})
        expected[datetime(1970, 1, 1) + timedelta(milliseconds=int(event["timestamp"]))] = (
            event["userEmail"].lower(),
            event["model"],
            event["kind"],
            event["isTokenBasedCall"],
            usage.get("inputTokens", 0),
            usage.get("cacheReadTokens", 0),
            usage.get("cacheWriteTokens", 0),
            usage.get("outputTokens", 0),
            _cents_to_usd(usage.get("totalCents", Decimal(0)), event["cursorTokenFee"]),
        )
    actual = {
        r[0]: r[1:]
        for r in query(
            warehouse,
            """
            select event_at, user_email, model, kind, is_token_based_call,
                uncached_input_tokens, cache_read_tokens, cache_write_tokens, output_tokens,
                cost_usd
            from staging.stg_cursor__usage_events
            """,
        )
    }
    assert actual == expected
    # The two token-based events: 20.18232 + 1.18 and 40.16699999999999 + 1.18 cents.
    token_based = sorted(v[-1] for v in actual.values() if v[3])
    assert token_based == [Decimal("0.2136232000"), Decimal("0.4134700000")]
    assert [c.quantize(Decimal("0.0001"), ROUND_HALF_UP) for c in token_based] == [
        Decimal("0.2136"),
        Decimal("0.4135"),
    ]


def test_cursor_raw_cents_are_kept_with_their_unit(warehouse: Path) -> None:
    rows = query(
        warehouse,
        "select token_cents_raw, cursor_token_fee_cents_raw, cents_raw_unit, event_epoch_ms "
        "from staging.stg_cursor__usage_events where is_token_based_call order by event_epoch_ms",
    )
    assert rows == [
        ("40.16699999999999", "1.18", "cents_float", 1750979173824),
        ("20.18232", "1.18", "cents_float", 1750979225854),
    ]


def test_cursor_ai_code_commit(warehouse: Path) -> None:
    (item,) = _example("cursor_ai_code_commits.json")["items"]
    rows = query(
        warehouse,
        """
        select commit_sha, user_email, repository, branch_name, is_primary_branch,
            total_lines_added, total_lines_deleted, tab_lines_added, tab_lines_deleted,
            composer_lines_added, composer_lines_deleted, non_ai_lines_added,
            non_ai_lines_deleted, ai_lines_added, committed_at, created_at
        from staging.stg_cursor__ai_code_commits
        """,
    )
    assert rows == [
        (
            item["commitHash"],
            item["userEmail"],
            item["repoName"],
            item["branchName"],
            item["isPrimaryBranch"],
            item["totalLinesAdded"],
            item["totalLinesDeleted"],
            item["tabLinesAdded"],
            item["tabLinesDeleted"],
            item["composerLinesAdded"],
            item["composerLinesDeleted"],
            item["nonAiLinesAdded"],
            item["nonAiLinesDeleted"],
            item["tabLinesAdded"] + item["composerLinesAdded"],
            _utc(item["commitTs"]),
            _utc(item["createdAt"]),
        )
    ]
