"""The MetricFlow semantic layer (dbt_project/models/semantic/) agrees with mart_team_weekly.

A small generated organisation is loaded and the marts plus the semantic models are built; then
`mf query` (the command analysts run) asks for every metric per ISO week and team, and each
value must equal the mart's, computed in SQL by dbt, on every team-week the mart does not
suppress. Nothing is hard-coded: both sides are read from the same warehouse.
"""

from __future__ import annotations

import csv
import json
import math
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from orchestration.generate import generate
from orchestration.lib.dbt import ensure_manifest
from tests.helpers import REPO, dbt_arguments, load, query

END = date(2026, 10, 31)
MF = Path(sys.executable).parent / "mf"

# metric name in MetricFlow -> column of mart_team_weekly
METRICS = {
    "spend": "spend_usd",
    "attributed_share": "attributed_share",
    "merged_pull_requests": "merged_pull_requests",
    "cost_per_merged_pr": "cost_per_merged_pr_usd",
    "merge_pass_rate": "merge_pass_rate",
    "rework_rate": "rework_rate",
    "cache_hit_ratio": "cache_hit_ratio",
}
# Counts and sums the mart writes as 0 when a team-week has none (MetricFlow has no row then).
ZERO_WHEN_ABSENT = {"spend", "merged_pull_requests"}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("semantic")
    landing, warehouse = root / "landing", root / "warehouse.duckdb"
    generate(landing, engineers=20, days=28, seed=11, end_date=END)
    assert not [r.quarantined for r in load(landing, warehouse) if r.quarantined]
    # Models and seeds only: the full build (make dbt-build) runs every test; the semantic
    # folder's own tests run here. dbt runs in a child process, as mf does: in-process
    # dbt-duckdb would keep the file locked against mf.
    _dbt(
        warehouse,
        "build",
        "--select",
        "+mart_team_weekly",
        "+semantic",
        "--exclude",
        "resource_type:test",
        "resource_type:unit_test",
    )
    _dbt(warehouse, "test", "--select", "semantic")
    # mf reads <project>/target/semantic_manifest.json: make sure it is the current project's.
    ensure_manifest(force=True)
    return warehouse


def _dbt(warehouse: Path, *args: str) -> None:
    target = warehouse.parent / "dbt_target"
    done = subprocess.run(
        [str(MF.parent / "dbt"), *dbt_arguments(target, *args)],
        env={**os.environ, "TOKENWORTH_WAREHOUSE": str(warehouse)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"dbt {' '.join(args)}: {done.stdout[-3000:]}{done.stderr[-3000:]}"


def _mf_query(warehouse: Path, out: Path, metrics: list[str], group_by: str) -> list[dict]:
    env = {**os.environ, "TOKENWORTH_WAREHOUSE": str(warehouse)}
    done = subprocess.run(
        [
            str(MF),
            "query",
            "--metrics",
            ",".join(metrics),
            "--group-by",
            group_by,
            "--csv",
            str(out),
            "--quiet",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    with out.open() as handle:
        return list(csv.DictReader(handle))


def _number(text: str | None) -> float | None:
    return None if text in (None, "", "None") else float(text)


def _same(expected: float | Decimal | None, actual: float | None) -> bool:
    if expected is None or actual is None:
        return expected is None and actual is None
    return math.isclose(float(expected), actual, rel_tol=1e-9, abs_tol=1e-9)


def test_every_metric_per_team_and_week_equals_mart_team_weekly(
    warehouse: Path, tmp_path: Path
) -> None:
    rows = _mf_query(warehouse, tmp_path / "mf.csv", list(METRICS), "metric_time__week,team")
    semantic = {(row["metric_time__week"][:10], row["team"]): row for row in rows}
    columns = ", ".join(METRICS.values())
    mart = query(
        warehouse,
        f"select team, cast(week_start_date as varchar), {columns} "
        "from marts.mart_team_weekly where not is_suppressed",
    )
    assert mart, "the generated organisation should have unsuppressed team-weeks"
    compared = dict.fromkeys(METRICS, 0)
    mismatches = []
    for team, week, *values in mart:
        row = semantic.get((week, team), {})
        for (metric, column), expected in zip(METRICS.items(), values, strict=True):
            actual = _number(row.get(metric))
            if actual is None and metric in ZERO_WHEN_ABSENT:
                actual = 0.0
            if not _same(expected, actual):
                mismatches.append(f"{team} {week} {metric}: mart {column}={expected}, mf={actual}")
            elif expected not in (None, 0):
                compared[metric] += 1
    assert not mismatches, "\n".join(mismatches[:20])
    # Not vacuous: every metric was compared on team-weeks where it has a value.
    assert all(count >= 3 for count in compared.values()), compared


def test_suppressed_team_weeks_have_no_pull_request_counts(warehouse: Path, tmp_path: Path) -> None:
    """Where mart_team_weekly suppresses a team-week (under min_group_size people), MetricFlow
    has no PR counts for that team and week either, though the team closed PRs in it."""
    metrics = ["merged_pull_requests", "closed_pull_requests"]
    rows = _mf_query(warehouse, tmp_path / "mf.csv", metrics, "metric_time__week,team")
    semantic = {(row["metric_time__week"][:10], row["team"]) for row in rows}
    suppressed = query(
        warehouse,
        """
        select team_weeks.team, cast(team_weeks.week_start_date as varchar), count(*)
        from marts.mart_team_weekly as team_weeks
        inner join restricted.int_team_memberships as memberships
            on team_weeks.team = memberships.team
        inner join marts.fct_pull_requests as pull_requests
            on memberships.person_id = pull_requests.person_id
            and cast(coalesce(merged_at, closed_at) as date) >= memberships.valid_from_date
            and (memberships.valid_until_date is null
                 or cast(coalesce(merged_at, closed_at) as date) < memberships.valid_until_date)
            and date_trunc('week', coalesce(merged_at, closed_at)) = team_weeks.week_start_date
        where team_weeks.is_suppressed
        group by all
        """,
    )
    assert suppressed, "the generated organisation should have a small team that closes PRs"
    leaked = [(team, week, n) for team, week, n in suppressed if (week, team) in semantic]
    assert not leaked, leaked


def test_spend_per_week_equals_the_usage_fact(warehouse: Path, tmp_path: Path) -> None:
    """Org-wide (no team), spend is every ledger dollar of the week, teamless spend included."""
    rows = _mf_query(warehouse, tmp_path / "mf.csv", ["spend"], "metric_time__week")
    semantic = {row["metric_time__week"][:10]: _number(row["spend"]) for row in rows}
    expected = dict(
        query(
            warehouse,
            "select cast(date_trunc('week', usage_date) as date)::varchar, sum(cost_usd) "
            "from marts.fct_ai_usage group by 1",
        )
    )
    assert set(semantic) == set(expected)
    assert all(_same(expected[week], semantic[week]) for week in expected), (semantic, expected)


def test_the_issue_s_metrics_are_defined() -> None:
    """Spend, attributed share, cost per merged PR, merge pass rate, rework rate and cache hit
    ratio (issue 7) exist in the semantic manifest dbt writes, each with a description."""
    manifest = json.loads((ensure_manifest().parent / "semantic_manifest.json").read_text())
    described = {m["name"] for m in manifest["metrics"] if m.get("description")}
    assert set(METRICS) <= described
    assert manifest["project_configuration"]["time_spines"], "MetricFlow needs a time spine"
