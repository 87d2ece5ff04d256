"""Read Apache DevLake's e2e golden files in place and turn them into landing files.

DevLake keeps each API object as JSON in the `data` column of its raw tables; its snapshot
tables are the expected output. The files are copied unchanged into `tests/conformance/data/`
(see its SOURCES.md for the upstream commit and licence).
"""

from __future__ import annotations

import csv
import json
import math
import os
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

CONFORMANCE = Path(__file__).resolve().parent / "data"
DEVLAKE = CONFORMANCE / "devlake" / "backend" / "plugins"

csv.field_size_limit(sys.maxsize)  # raw payloads can exceed csv's default 128 KiB cell limit


def rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def connection(row: dict[str, str]) -> int:
    return int(json.loads(row["params"])["ConnectionId"])


def write_json(path: Path, payload: object, modified: datetime | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload), encoding="utf-8")
    if modified is not None:
        stamp = modified.timestamp()
        os.utime(path, (stamp, stamp))


def utc(value: str | None) -> datetime | None:
    """A DevLake timestamp as naive UTC: `2018-07-25T08:19:30.000+00:00` in snapshots,
    `2023-4-11 4:51:47` (no zero padding, UTC) in the DORA domain tables."""
    if not value:
        return None
    if "T" in value:
        parsed = datetime.fromisoformat(value)
        return parsed.astimezone(UTC).replace(tzinfo=None) if parsed.tzinfo else parsed
    return datetime.strptime(value, "%Y-%m-%d %H:%M:%S")


def iso_z(value: datetime | None) -> str | None:
    """GitHub's timestamp format."""
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def devlake_minutes(hours: float | None) -> int | None:
    """DevLake's unit for a duration: whole minutes rounded up. Hours are converted through
    whole seconds first, so float noise (5 min = 0.08333… h) cannot push ceil up a minute."""
    if hours is None:
        return None
    seconds = round(hours * 3600)
    return math.ceil(seconds / 60)
