"""Which time range a run asks for, from `--since`, the stored watermark and the lookback.

- `--since` (or a backfill's first day) wins: the range starts there.
- Otherwise usage and cost endpoints start `lookback_days` before the watermark (the end of the
  last window extracted), because vendors restate recent buckets (DESIGN: restatement).
- Incremental endpoints (PRs, issues) start at their watermark.
- With no watermark yet, a first run reaches `lookback_days` back.
Ranges end at the run's `now`; long ranges are cut into the vendor's largest allowed window.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta


def parse_instant(text: str) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def iso(moment: datetime) -> str:
    """One spelling of an instant, so watermarks compare as strings."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def range_start(
    now: datetime, since: date | None, watermark: str | None, lookback_days: int
) -> datetime:
    """Start of a usage/cost range: since, else watermark minus the lookback, at UTC midnight."""
    if since is not None:
        return midnight(since)
    anchor = parse_instant(watermark) if watermark else now
    return midnight((anchor - timedelta(days=lookback_days)).date())


def incremental_start(
    now: datetime, since: date | None, watermark: str | None, lookback_days: int
) -> datetime:
    """Start of an incremental range (updated since): since, else the watermark itself."""
    if since is not None:
        return midnight(since)
    if watermark:
        return parse_instant(watermark)
    return midnight((now - timedelta(days=lookback_days)).date())


def chunks(start: datetime, end: datetime, max_days: int) -> Iterator[tuple[datetime, datetime]]:
    """[start, end) cut into windows of at most `max_days` days."""
    cursor = start
    while cursor < end:
        upper = min(cursor + timedelta(days=max_days), end)
        yield cursor, upper
        cursor = upper


def days(start: datetime, end: datetime) -> Iterator[date]:
    """Every UTC day that [start, end) touches."""
    day = start.date()
    while midnight(day) < end:
        yield day
        day += timedelta(days=1)
