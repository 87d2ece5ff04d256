"""Writing one API page as one landing file: the bytes exactly as served, written atomically.

A page is written to a hidden temporary name in its folder, flushed to disk, then renamed into
place, so the loader never sees half a page and a crash leaves at most a stray temp file (which
no landing pattern matches). The name carries the time its stream started, so a re-pull is a
new delivery, and the page number, so a resumed or restarted stream writes page N under the
same name again instead of a second copy.
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def slug(text: str) -> str:
    """A file-name-safe form of a stream key (dates, repository names, PR numbers)."""
    return _UNSAFE.sub("-", text).strip("-") or "stream"


def page_name(started_at: datetime, stream: str, page: int, suffix: str = ".json") -> str:
    return f"{started_at:%Y%m%dT%H%M%S%fZ}_{slug(stream)}_p{page:04d}{suffix}"


def write_page(landing: Path, folder: str, name: str, body: bytes) -> Path:
    target_dir = landing / folder
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / name
    temp = target_dir / f".{name}.{os.getpid()}.partial"
    with temp.open("wb") as handle:
        handle.write(body)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, target)
    return target
