"""An outline of the nightly job as it runs, for `tokenworth build` and `tokenworth demo`.

The job runs in-process with Dagster's console logger at WARNING, because dbt's own log is long.
This logger prints only the outline, from the job's structured events: one line per source as it
loads (files and rows), one when dbt starts and one when it ends (assets built, checks passed and
failed), and where the marts were published. dagster-dbt echoes every dbt log line to stdout;
outside `--verbose`, `outline_only()` drops that echo so the outline is what a reader sees.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, redirect_stdout
from typing import Any, TextIO

import dagster as dg

# Where Dagster's log manager puts the structured event on each record it hands to a logger.
_DAGSTER_META = "dagster_meta"
# The terminal, while outline_only() sends everything else written to stdout to /dev/null.
_outline_stream: TextIO | None = None


@contextmanager
def outline_only() -> Iterator[None]:
    """Inside this block stdout shows only the outline (dbt's echoed log is dropped)."""
    global _outline_stream
    _outline_stream = sys.stdout
    try:
        with open(os.devnull, "w") as devnull, redirect_stdout(devnull):
            yield
    finally:
        _outline_stream = None


def _value(metadata: Mapping[str, Any], name: str) -> Any:
    value = metadata.get(name)
    return getattr(value, "value", value)


def ingest_line(asset: str, metadata: Mapping[str, Any], seconds: float | None) -> str:
    """`ingest raw/x   3 new of 5 files   1,200 rows   0.4s`, plus duplicates and quarantine."""
    seen, loaded = _value(metadata, "files_seen") or 0, _value(metadata, "files_loaded") or 0
    rows = _value(metadata, "records_loaded") or 0
    line = f"  ingest {asset:<44} {loaded:>7,} new of {seen:>7,} files {rows:>12,} rows"
    if seconds is not None:
        line += f" {seconds:>6.1f}s"
    extras = []
    if duplicates := _value(metadata, "duplicate_files"):
        extras.append(f"{duplicates:,} duplicate")
    if quarantined := _value(metadata, "quarantined_files"):
        extras.append(f"{quarantined:,} QUARANTINED (see raw._quarantine)")
    return line + (f"   [{', '.join(extras)}]" if extras else "")


class _Outline(logging.Handler):
    def __init__(self, stream: TextIO) -> None:
        super().__init__(level=logging.DEBUG)
        self.stream = stream
        self.started: dict[str, float] = {}
        self.built = 0
        self.checks = {True: 0, False: 0}
        self.failed: list[str] = []

    def _print(self, line: str) -> None:
        self.stream.write(line + "\n")
        self.stream.flush()

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, _DAGSTER_META, None) or {}
        event: dg.DagsterEvent | None = meta.get("dagster_event")
        if event is None:
            return
        step = event.step_key or ""
        is_dbt = "dbt" in step
        if event.is_step_start:
            self.started[step] = time.perf_counter()
            if is_dbt:
                self._print("  dbt build: models, seeds and their tests ...")
        elif event.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION:
            self._materialized(event, step, is_dbt)
        elif event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION and is_dbt:
            evaluation = event.asset_check_evaluation_data
            self.checks[bool(evaluation.passed)] += 1
            if not evaluation.passed:
                self.failed.append(evaluation.check_name)
        elif (event.is_step_success or event.is_step_failure) and is_dbt:
            outcome = "done" if event.is_step_success else "FAILED"
            self._print(
                f"  dbt build {outcome} in {self._seconds(step) or 0:.1f}s: {self.built} assets "
                f"built, {self.checks[True]} checks passed, {self.checks[False]} failed"
            )
            if self.failed:
                self._print(f"  failed checks: {', '.join(sorted(self.failed))}")

    def _seconds(self, step: str) -> float | None:
        started = self.started.get(step)
        return time.perf_counter() - started if started is not None else None

    def _materialized(self, event: dg.DagsterEvent, step: str, is_dbt: bool) -> None:
        materialization = event.step_materialization_data.materialization
        key = materialization.asset_key.to_user_string()
        metadata = materialization.metadata
        if is_dbt:
            self.built += 1
        elif key.startswith("raw/"):
            self._print(ingest_line(key, metadata, self._seconds(step)))
        elif "folder" in metadata:
            self._print(f"  publish {key}: {_value(metadata, 'folder')}")


@dg.logger(description="One line per ingest source, dbt build and publish, on stdout.")
def progress_logger(_init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.Logger("tokenworth.progress", level=logging.DEBUG)
    logger.addHandler(_Outline(_outline_stream or sys.stdout))
    return logger
