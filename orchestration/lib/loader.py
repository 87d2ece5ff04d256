"""One loader for every landing folder: vendor files in, `raw.<source>__<table>` rows out.

Every raw table has the same shape: the payload exactly as delivered (one JSON record per
API object, NDJSON line or CSV/Parquet row) plus where and when it came from. DuckDB does
the parsing; Python only lists files, hashes them and decides what is new.

Guarantees (DESIGN.md, landing contract):
- idempotent: a file whose content (sha256) is already in the table is skipped, so the same
  content delivered twice, under any name, counts once;
- a file that fails to parse goes to `raw._quarantine` with its name and the error, and the
  rest of the load goes on; nothing already loaded is touched.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.lib.landing import LandingSource
from orchestration.lib.settings import RAW_SCHEMA

log = logging.getLogger(__name__)

_MAX_JSON_OBJECT_BYTES = 512 * 1024 * 1024
_FILE_COLUMN = "_tw_file"

RAW_TABLE_DDL = """
create table if not exists {table} (
    _source_file varchar not null,
    _file_sha256 varchar not null,
    _record_number bigint not null,
    _loaded_at timestamp not null,
    _file_modified_at timestamp not null,
    _partition varchar,
    payload json
)
"""

BOOKKEEPING_DDL = f"""
create schema if not exists {RAW_SCHEMA};
create table if not exists {RAW_SCHEMA}._file_log (
    source_table varchar not null,
    source_file varchar not null,
    file_sha256 varchar not null,
    status varchar not null,          -- loaded | duplicate | quarantined
    records bigint,
    duplicate_of varchar,
    logged_at timestamp not null
);
create table if not exists {RAW_SCHEMA}._quarantine (
    source_table varchar not null,
    source_file varchar not null,
    file_sha256 varchar not null,
    error varchar not null,
    quarantined_at timestamp not null
);
"""


@dataclass
class LoadResult:
    raw_table: str
    files_seen: int = 0
    files_loaded: int = 0
    records_loaded: int = 0
    duplicates: list[str] = field(default_factory=list)
    quarantined: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _File:
    path: Path
    relative: str
    sha256: str
    modified_at: datetime

    @property
    def reader(self) -> str:
        name = self.path.name.lower()
        if name.endswith(".parquet"):
            return "parquet"
        if name.endswith((".csv", ".csv.gz")):
            return "csv"
        return "json"


def ensure_raw_schema(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute(BOOKKEEPING_DDL)


def discover(spec: LandingSource, landing_root: Path) -> list[Path]:
    found: set[Path] = set()
    for pattern in spec.patterns:
        found.update(p for p in landing_root.glob(pattern) if p.is_file())
    return sorted(found)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _select_records(reader: str, paths: list[str]) -> str:
    """A query yielding (_tw_file, record_number, payload) for the given files."""
    files = "[" + ", ".join("'" + p.replace("'", "''") + "'" for p in paths) + "]"
    if reader == "json":
        source = (
            f"read_json_objects({files}, format = 'auto', filename = '{_FILE_COLUMN}', "
            f"maximum_object_size = {_MAX_JSON_OBJECT_BYTES})"
        )
        payload = "json"
    elif reader == "csv":
        # all_varchar keeps each cell exactly as delivered; columns are matched by name later.
        # The dialect is pinned: a ragged row must not make the sniffer guess another one.
        # A short row is padded with nulls (staging rejects it row by row); a long row fails
        # the file, which is then quarantined.
        source = (
            f"read_csv({files}, header = true, all_varchar = true, union_by_name = true, "
            "delim = ',', quote = '\"', escape = '\"', null_padding = true, "
            f"filename = '{_FILE_COLUMN}')"
        )
        payload = f"""json_merge_patch(to_json(t), '{{"{_FILE_COLUMN}": null}}')"""
    else:
        source = f"read_parquet({files}, union_by_name = true, filename = '{_FILE_COLUMN}')"
        payload = f"""json_merge_patch(to_json(t), '{{"{_FILE_COLUMN}": null}}')"""
    return f"""
        select {_FILE_COLUMN},
               row_number() over (partition by {_FILE_COLUMN} order by _tw_scan_order)
                   as record_number,
               payload
        from (
            select {_FILE_COLUMN}, row_number() over () as _tw_scan_order, {payload} as payload
            from {source} as t
        )
    """


def _short_error(exc: Exception) -> str:
    # One line, bounded: DuckDB errors can quote file content, which must not flood logs.
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return f"{type(exc).__name__}: {first[:400]}"


def _insert(
    conn: duckdb.DuckDBPyConnection,
    table: str,
    spec: LandingSource,
    files: list[_File],
    loaded_at: datetime,
    partition: str | None,
) -> int:
    conn.execute(
        "create or replace temp table _tw_batch "
        "(path varchar, rel varchar, sha varchar, mtime timestamp)"
    )
    conn.executemany(
        "insert into _tw_batch values (?, ?, ?, ?)",
        [(str(f.path), f.relative, f.sha256, f.modified_at) for f in files],
    )
    # Row numbers must follow the file (FOCUS rejections name their row). A parallel scan
    # does not promise that, so tabular files, which are few and small, are read on one thread.
    ordered = files[0].reader != "json"
    if ordered:
        conn.execute("set threads = 1")
    try:
        inserted = conn.execute(
            f"""
            insert into {table}
            select b.rel, b.sha, r.record_number, ?, b.mtime, ?, r.payload
            from ({_select_records(files[0].reader, [str(f.path) for f in files])}) as r
            join _tw_batch as b on b.path = r.{_FILE_COLUMN}
            """,
            [loaded_at, partition],
        ).fetchone()
    finally:
        if ordered:
            conn.execute("reset threads")
    counts = conn.execute(
        f"select _file_sha256, count(*) from {table} where _loaded_at = ? group by 1", [loaded_at]
    ).fetchall()
    per_file = dict(counts)
    conn.executemany(
        f"insert into {RAW_SCHEMA}._file_log values (?, ?, ?, 'loaded', ?, null, ?)",
        [
            (spec.raw_table, f.relative, f.sha256, per_file.get(f.sha256, 0), loaded_at)
            for f in files
        ],
    )
    # A file that now loads (same content, or the same name fixed) is no longer quarantined.
    conn.execute(
        f"delete from {RAW_SCHEMA}._quarantine where source_table = ? and ("
        "file_sha256 in (select sha from _tw_batch) or source_file in (select rel from _tw_batch))",
        [spec.raw_table],
    )
    return int(inserted[0]) if inserted else 0


def _quarantine(
    conn: duckdb.DuckDBPyConnection, spec: LandingSource, file: _File, error: str, at: datetime
) -> None:
    conn.execute(
        f"delete from {RAW_SCHEMA}._quarantine where source_table = ? and file_sha256 = ?",
        [spec.raw_table, file.sha256],
    )
    conn.execute(
        f"insert into {RAW_SCHEMA}._quarantine values (?, ?, ?, ?, ?)",
        [spec.raw_table, file.relative, file.sha256, error, at],
    )
    conn.execute(
        f"insert into {RAW_SCHEMA}._file_log values (?, ?, ?, 'quarantined', 0, null, ?)",
        [spec.raw_table, file.relative, file.sha256, at],
    )


@contextmanager
def _transaction(conn: duckdb.DuckDBPyConnection) -> Iterator[None]:
    conn.execute("begin transaction")
    try:
        yield
    except Exception:
        conn.execute("rollback")
        raise
    conn.execute("commit")


def load_source(
    conn: duckdb.DuckDBPyConnection,
    spec: LandingSource,
    landing_root: Path,
    partition: str | None = None,
) -> LoadResult:
    """Load every new file of one landing folder into its raw table."""
    ensure_raw_schema(conn)
    table = f"{RAW_SCHEMA}.{spec.raw_table}"
    conn.execute(RAW_TABLE_DDL.format(table=table))
    result = LoadResult(raw_table=spec.raw_table)
    loaded_at = datetime.now(UTC).replace(tzinfo=None)

    known_sha = dict(
        conn.execute(
            f"select file_sha256, any_value(source_file) from {RAW_SCHEMA}._file_log "
            "where source_table = ? and status = 'loaded' group by 1",
            [spec.raw_table],
        ).fetchall()
    )
    logged = {
        (row[0], row[1])
        for row in conn.execute(
            f"select source_file, file_sha256 from {RAW_SCHEMA}._file_log "
            "where source_table = ? and status in ('loaded', 'duplicate')",
            [spec.raw_table],
        ).fetchall()
    }

    new_files: list[_File] = []
    for path in discover(spec, landing_root):
        result.files_seen += 1
        relative = path.relative_to(landing_root).as_posix()
        sha = _sha256(path)
        if (relative, sha) in logged:
            continue  # this exact delivery was handled on an earlier run
        if sha in known_sha:
            result.duplicates.append(relative)
            conn.execute(
                f"insert into {RAW_SCHEMA}._file_log values (?, ?, ?, 'duplicate', 0, ?, ?)",
                [spec.raw_table, relative, sha, known_sha[sha], loaded_at],
            )
            continue
        known_sha[sha] = relative
        modified = datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(tzinfo=None)
        new_files.append(_File(path, relative, sha, modified))

    for reader in ("json", "csv", "parquet"):
        batch = [f for f in new_files if f.reader == reader]
        if batch:
            _load_batch(conn, table, spec, batch, loaded_at, partition, result)
    return result


def _load_batch(
    conn: duckdb.DuckDBPyConnection,
    table: str,
    spec: LandingSource,
    files: list[_File],
    loaded_at: datetime,
    partition: str | None,
    result: LoadResult,
) -> None:
    """Fast path: one statement for the whole batch. Slow path, only when that fails:
    file by file, so one bad file is quarantined and the others still load."""
    try:
        with _transaction(conn):
            result.records_loaded += _insert(conn, table, spec, files, loaded_at, partition)
        result.files_loaded += len(files)
        return
    except duckdb.Error:
        pass  # fall through: file by file, recording which ones fail
    for file in files:
        try:
            with _transaction(conn):
                result.records_loaded += _insert(conn, table, spec, [file], loaded_at, partition)
            result.files_loaded += 1
        except duckdb.Error as exc:
            error = _short_error(exc)
            log.warning("quarantined %s: %s", file.relative, error)
            _quarantine(conn, spec, file, error, loaded_at)
            result.quarantined[file.relative] = error


def load_all(
    conn: duckdb.DuckDBPyConnection,
    specs: Iterable[LandingSource],
    landing_root: Path,
    partition: str | None = None,
) -> list[LoadResult]:
    return [load_source(conn, spec, landing_root, partition) for spec in specs]
