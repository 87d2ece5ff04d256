"""A short, human summary of the marts, printed by `tokenworth demo`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

# Whole-period team view from the weekly mart (suppressed team-weeks stay out, as in the mart).
TEAM_SUMMARY = """
select
    team,
    sum(total_tokens) as tokens,
    sum(spend_usd) as spend_usd,
    sum(merged_pull_requests) as merged,
    sum(productive_pull_requests) as productive,
    sum(spend_usd * attributed_share) as attributed_usd
from marts.mart_team_weekly
where not is_suppressed
group by team
order by tokens desc
"""

# Teams with any suppressed week: named (the mart names them), never measured.
SUPPRESSED_TEAMS = """
select team, count(*) filter (where is_suppressed) as weeks, count(*) as of_weeks
from marts.mart_team_weekly
group by team
having count(*) filter (where is_suppressed) > 0
order by team
"""

# Spend that belongs to no team (no person, or a person with no team that day): the team view
# cannot show it, so it gets its own line.
NO_TEAM = """
select
    'no team' as team,
    coalesce(sum(total_tokens), 0) as tokens,
    coalesce(sum(cost_usd), 0) as spend_usd,
    0 as merged,
    0 as productive,
    (
        select coalesce(sum(cost_usd), 0) from marts.fct_usage_allocation
        where team is null and method != 'unattributed'
    ) as attributed_usd
from marts.fct_ai_usage
where team is null
"""


def _row(team: str, tokens: Any, spend: Any, merged: Any, productive: Any, attributed: Any) -> str:
    spend = float(spend or 0)
    value = productive * 1000.0 / spend if spend and productive is not None else 0.0
    share = float(attributed or 0) / spend if spend else 0.0
    counts = f"{tokens or 0:>16,}{spend:>12,.0f}{merged or 0:>8,}"
    return f"  {team:<12}{counts}{value:>10.2f}{share:>12.0%}"


def team_table(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """The team view, then spend with no team, suppressed teams, and a total of what is shown.

    A suppressed team's figures are withheld everywhere, the total included: otherwise the total
    minus the other lines would rebuild them (DESIGN: privacy).
    """
    teams = conn.execute(TEAM_SUMMARY).fetchall()
    no_team = conn.execute(NO_TEAM).fetchone()
    lines = [
        "teams by raw tokens (value = merged PRs neither reworked nor with escaped "
        "defects, per USD 1,000):",
        f"  {'team':<12}{'tokens':>16}{'spend USD':>12}{'merged':>8}"
        f"{'value/1k':>10}{'attributed':>12}",
    ]
    lines += [_row(*team) for team in teams]
    shown = [*teams, no_team] if no_team and no_team[2] else list(teams)
    if no_team and no_team[2]:
        lines.append(
            _row(*no_team) + "   (usage matched to no team: org-level charges, unknown accounts)"
        )
    totals = [sum(row[i] or 0 for row in shown) for i in range(1, 6)]
    lines.append(_row("total", *totals))
    for team, weeks, of_weeks in conn.execute(SUPPRESSED_TEAMS).fetchall():
        lines.append(
            f"  suppressed: {team} was under the minimum group size in {weeks} of {of_weeks} "
            "weeks; those weeks are withheld from the rows and the total above"
        )
    return lines


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
            lines += ["", *team_table(conn)]
    return "\n".join(lines)
