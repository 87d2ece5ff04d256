"""A short, human summary of the marts, printed by `tokenworth demo`."""

from __future__ import annotations

from pathlib import Path

import duckdb


def describe_warehouse(warehouse: Path) -> str:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        marts = conn.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'marts' order by table_name"
        ).fetchall()
        lines = ["marts:"]
        for (name,) in marts:
            rows = conn.execute(f'select count(*) from marts."{name}"').fetchone()
            lines.append(f"  marts.{name:<28} {rows[0] if rows else 0:>10,} rows")
        quarantined = conn.execute("select count(*) from raw._quarantine").fetchone()
        lines.append(f"quarantined files: {quarantined[0] if quarantined else 0}")
    return "\n".join(lines)
