"""Shared test helpers: in-repo fixtures, landing from vendor examples, a dbt build."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path

import duckdb
from dbt.cli.main import dbtRunner

from orchestration.lib.landing import LANDING_SOURCES
from orchestration.lib.loader import load_all

REPO = Path(__file__).resolve().parents[1]
# Vendor examples and conformance data live in the repository (tests need nothing beside it).
EXAMPLES = REPO / "tests" / "fixtures" / "vendor_examples"
CONFORMANCE = REPO / "tests" / "conformance" / "data"

# Where each vendor example belongs in the landing contract.
EXAMPLE_PLACEMENT = {
    "anthropic_usage_messages.json": "anthropic/usage_report_messages/",
    "anthropic_usage_messages_2025_docs.json": "anthropic/usage_report_messages/",
    "anthropic_cost_report.json": "anthropic/cost_report/",
    "claude_code_analytics.json": "anthropic/claude_code/",
    "claude_code_analytics_guide_example.json": "anthropic/claude_code/",
    "openai_usage_completions.json": "openai/usage_completions/",
    "openai_costs.json": "openai/costs/",
    "github_pulls.json": "github/octocat/Hello-World/pulls/",
    "github_pull.json": "github/octocat/Hello-World/pulls/",
    "github_pull_commits.json": "github/octocat/Hello-World/pulls/1347/commits/",
    "github_pull_reviews.json": "github/octocat/Hello-World/pulls/1347/reviews/",
    "jira_search_jql.json": "jira/issues/",
}

ORG_PEOPLE = "email,name,team,valid_from,valid_to\n"
ORG_IDENTITIES = "email,system,external_id\n"
ORG_BUDGETS = "scope,scope_id,kind,period_start,period_end,amount,currency\n"


def write_org(landing: Path, people: str = "", identities: str = "", budgets: str = "") -> None:
    org = landing / "org"
    org.mkdir(parents=True, exist_ok=True)
    (org / "people.csv").write_text(ORG_PEOPLE + people)
    (org / "identities.csv").write_text(ORG_IDENTITIES + identities)
    (org / "budgets.csv").write_text(ORG_BUDGETS + budgets)


def place_examples(landing: Path, names: Iterable[str] = EXAMPLE_PLACEMENT) -> None:
    for name in names:
        target = landing / EXAMPLE_PLACEMENT[name]
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(EXAMPLES / name, target / name)


def load(landing: Path, warehouse: Path) -> list:
    with duckdb.connect(str(warehouse)) as conn:
        return load_all(conn, LANDING_SOURCES, landing)


@contextmanager
def _env(**values: str):  # type: ignore[no-untyped-def]
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def dbt_arguments(target: Path, *args: str) -> list[str]:
    """dbt's arguments for this repository's project and profile, writing under `target`."""
    return [
        *args,
        "--project-dir",
        str(REPO),
        "--profiles-dir",
        str(REPO),
        "--target-path",
        str(target),
        "--log-path",
        str(target / "logs"),
        "--quiet",
    ]


def dbt(warehouse: Path, *args: str, target_path: Path | None = None) -> None:
    """Run dbt in-process against `warehouse`; raise with dbt's own message if it fails."""
    target = target_path or warehouse.parent / "dbt_target"
    with _env(TOKENWORTH_WAREHOUSE=str(warehouse), DBT_SEND_ANONYMOUS_USAGE_STATS="false"):
        result = dbtRunner().invoke(dbt_arguments(target, *args))
    if not result.success:
        failures = []
        for node in getattr(result.result, "results", None) or []:
            if str(getattr(node, "status", "")) not in ("pass", "success"):
                failures.append(f"{node.node.name}: {node.status} {node.message}")
        raise AssertionError(f"dbt {' '.join(args)} failed: {result.exception or failures}")


def query(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    # Not read_only: in-process dbt-duckdb keeps the file open read-write, and DuckDB refuses
    # a second connection with a different configuration in the same process.
    with duckdb.connect(str(warehouse)) as conn:
        return conn.execute(sql, params or []).fetchall()


def build_landing(root: Path, land: Callable[[Path], None], select: str, *dbt_args: str) -> Path:
    """Land files with `land`, add an empty org, load them (nothing may be quarantined) and
    dbt-build `select` with its tests (only tests whose parents are all selected)."""
    landing = root / "landing"
    land(landing)
    write_org(landing)
    warehouse = root / "warehouse.duckdb"
    results = load(landing, warehouse)
    assert not [r.quarantined for r in results if r.quarantined]
    dbt(
        warehouse,
        "build",
        "--select",
        select,
        "--indirect-selection",
        "cautious",
        "--exclude",
        "test_type:unit",
        *dbt_args,
    )
    return warehouse
