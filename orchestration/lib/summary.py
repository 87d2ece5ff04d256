"""A short, human summary of the marts, printed by `tokenworth demo`."""

from __future__ import annotations

from pathlib import Path

import duckdb

# Whole-period team view from the weekly mart (suppressed team-weeks stay out, as in the mart).
TEAM_SUMMARY = """
select
    team,
    sum(total_tokens) as tokens,
    sum(spend_usd) as spend_usd,
    sum(merged_pull_requests) as merged,
    sum(productive_pull_requests) * 1000.0 / nullif(sum(spend_usd), 0) as value_per_1k,
    sum(spend_usd * attributed_share) / nullif(sum(spend_usd), 0) as attributed
from marts.mart_team_weekly
where not is_suppressed
group by team
order by tokens desc
"""


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
        if any(name == "mart_team_weekly" for (name,) in marts):
            teams = conn.execute(TEAM_SUMMARY).fetchall()
            lines += [
                "",
                "teams by raw tokens (value = merged PRs neither reworked nor with escaped "
                "defects, per USD 1,000):",
                f"  {'team':<12}{'tokens':>16}{'spend USD':>12}{'merged':>8}"
                f"{'value/1k':>10}{'attributed':>12}",
            ]
            for team, tokens, spend, merged, value, attributed in teams:
                lines.append(
                    f"  {team:<12}{tokens or 0:>16,}{float(spend or 0):>12,.0f}{merged or 0:>8}"
                    f"{value or 0:>10.2f}{(attributed or 0):>12.0%}"
                )
    return "\n".join(lines)
