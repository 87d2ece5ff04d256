"""The DuckDB session every generator step shares, plus the SQL macros they rely on.

Randomness never comes from `random()`: each draw is a hash of the seed and the entity it
belongs to (`u('pr_outcome', pr_key, 0)`), so a row's values do not depend on row order,
thread count or which other rows exist. That is what makes output byte-identical per seed.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

_TWO_POW_64 = "18446744073709551616.0"


def connect(seed: int, spill_dir: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    # Kept for any sampling DuckDB does internally; our own draws use u() below.
    con.execute("select setseed(?)", [(seed % 10_000) / 10_000])
    # Every output query has an explicit ORDER BY, so row order never needs preserving; big
    # organisations spill to disk instead of running out of memory.
    con.execute("set preserve_insertion_order = false")
    con.execute("set temp_directory = ?", [str(spill_dir)])
    con.execute("set enable_progress_bar = false")
    for statement in _macros(seed):
        con.execute(statement)
    return con


def _macros(seed: int) -> list[str]:
    return [
        # Uniform [0, 1) keyed by a label and up to two entity keys.
        f"create macro u(k, a, b) as hash({int(seed)}, k, a, b)::double / {_TWO_POW_64}",
        # Standard normal (Box-Muller) from two keyed uniforms.
        """create macro nrm(k, a, b) as
            sqrt(-2 * ln(greatest(u(k || ':1', a, b), 1e-12)))
            * cos(2 * pi() * u(k || ':2', a, b))""",
        # Integer in [0, n) keyed like u().
        "create macro pick(k, a, b, n) as least(floor(u(k, a, b) * n), n - 1)::bigint",
        # Vendor-looking identifiers, all derived from md5 of a key so they are stable.
        f"""create macro alnum(x, n) as substr(regexp_replace(to_base64(unhex(
                md5('{int(seed)}:' || x::varchar) || md5(x::varchar || ':{int(seed)}'))),
                '[^A-Za-z0-9]', '', 'g'), 1, n)""",
        f"create macro hex(x, n) as substr(md5('{int(seed)}:' || x::varchar) || "
        f"md5(x::varchar || ':{int(seed)}'), 1, n)",
        # A version-4-looking UUID from 32 hex digits (pass a column to hash only once).
        """create macro uuid_hex(h) as substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4'
            || substr(h, 14, 3) || '-8' || substr(h, 18, 3) || '-' || substr(h, 21, 12)""",
        "create macro uuid_of(x) as uuid_hex(hex(x, 32))",
        # Keys of Claude Code requests and sessions; ids are derived from them only where
        # rendered, so the big request table stays narrow.
        """create macro request_key(person_id, day_idx, is_sub, k) as person_id || ':' || day_idx
            || ':' || case when is_sub then 's' else 'm' end || ':' || k""",
        """create macro session_uuid(person_id, day_idx, session_no) as
            uuid_of('session:' || person_id || ':' || day_idx || ':' || session_no)""",
        # Timestamp formats: GitHub/Anthropic (seconds, Z), transcripts (ms, Z), Jira (+0000).
        "create macro iso(ts) as strftime(ts, '%Y-%m-%dT%H:%M:%SZ')",
        "create macro iso_ms(ts) as strftime(ts, '%Y-%m-%dT%H:%M:%S.%gZ')",
        "create macro jira_ts(ts) as strftime(ts, '%Y-%m-%dT%H:%M:%S.%g+0000')",
        # Seconds as an interval, for adding fractional durations to timestamps.
        "create macro secs(s) as to_microseconds((s * 1000000)::bigint)",
        # Decimal amount as the shortest exact string ("12.3400" -> "12.34").
        "create macro dec_str(x) as rtrim(rtrim(x::varchar, '0'), '.')",
        # A double as JavaScript serialises it: integral values without ".0" (Cursor's API).
        """create macro js_num(x) as case when x = trunc(x) and abs(x) < 1e15
            then to_json(x::bigint) else to_json(x) end""",
        # One CSV field (RFC 4180): quoted when it holds a comma, quote or newline; null is empty.
        """create macro csv_field(x) as case when x is null then ''
            when regexp_matches(x, '[",\r\n]') then '"' || replace(x, '"', '""') || '"'
            else x end""",
    ]


def scalar(con: duckdb.DuckDBPyConnection, query: str, params: Sequence[object] = ()) -> Any:
    """First column of the first row (fetching everything, as DuckDB 2 requires)."""
    rows = con.execute(query, list(params)).fetchall()
    return rows[0][0] if rows else None


def rows(con: duckdb.DuckDBPyConnection, query: str, params: Sequence[object] = ()) -> list[Any]:
    return con.execute(query, list(params)).fetchall()


def write_files(
    con: duckdb.DuckDBPyConnection,
    query: str,
    out_dir: Path,
    params: Sequence[object] | None = None,
) -> int:
    """Write every (relative_path, text) row of `query` as a file; return the file count.

    DuckDB builds the text; Python only moves bytes, so this loop is over files, not rows.
    """
    cursor = con.execute(query, params or [])
    made: set[Path] = set()
    written = 0
    while batch := cursor.fetchmany(2000):
        for relative, text in batch:
            path = out_dir / relative
            if path.parent not in made:
                path.parent.mkdir(parents=True, exist_ok=True)
                made.add(path.parent)
            path.write_bytes(text.encode("utf-8"))
            written += 1
    return written


def values_sql(rows: Sequence[Sequence[object]]) -> str:
    """A SQL VALUES list for small constant tables (name pools, teams, repos)."""

    def literal(value: object) -> str:
        if value is None:
            return "null"
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return repr(value)
        return "'" + str(value).replace("'", "''") + "'"

    return ", ".join("(" + ", ".join(literal(v) for v in row) + ")" for row in rows)
