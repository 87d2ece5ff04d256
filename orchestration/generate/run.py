"""The generator's entry point: build the organisation in DuckDB, render every landing folder,
then write ground_truth.json.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

from orchestration.generate import (
    anthropic_files,
    copilot_files,
    cursor_files,
    focus_files,
    github_files,
    jira_files,
    litellm_files,
    openai_files,
)
from orchestration.generate.budgets import build_budgets, build_costs
from orchestration.generate.cloud import build_cloud
from orchestration.generate.engine import connect
from orchestration.generate.gateway import build_gateway
from orchestration.generate.org import build_org, plan_org, write_org_people
from orchestration.generate.prices import build_calendar, build_prices
from orchestration.generate.pulls import build_pr_details, build_pull_requests, build_repos
from orchestration.generate.text import load_text_tables
from orchestration.generate.tickets import build_tickets
from orchestration.generate.tools import build_copilot, build_cursor, plan_tools
from orchestration.generate.transcripts import build_sessions, write_transcripts
from orchestration.generate.truth import build_truth
from orchestration.generate.usage import build_usage


def generate(
    out_dir: Path,
    engineers: int = 60,
    days: int = 90,
    seed: int = 7,
    end_date: dt.date | None = None,
) -> dict[str, Any]:
    """Write vendor-native landing files under out_dir and out_dir/ground_truth.json; return the
    ground truth dict. The period is the `days` days ending on end_date (default: yesterday, UTC).

    Output is byte-identical for the same (engineers, days, seed, end_date). Write into an empty
    directory: files from an earlier, larger run would otherwise be left beside the new ones.
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    end = end_date or (dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1))
    start = end - dt.timedelta(days=days - 1)
    # The extraction moment: nothing after the end of end_date has happened yet.
    cutoff = f"timestamp '{end + dt.timedelta(days=1)} 00:00:00'"
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    spill = tempfile.TemporaryDirectory(prefix="tokenworth-generate-")
    con = connect(seed, Path(spill.name))
    try:
        build_calendar(con, start, end)
        build_prices(con)
        plan = plan_org(engineers, days)
        build_org(con, plan, engineers, seed, start)
        plan_tools(con)
        load_text_tables(con)
        build_repos(con)
        build_pull_requests(con, cutoff)
        build_tickets(con, start, cutoff)
        build_pr_details(con, cutoff)
        build_usage(con, retry_loops=max(3, engineers // 50))
        build_sessions(con, end)
        build_costs(con)
        build_copilot(con)
        build_cursor(con)
        # after build_costs: the gateway's key belongs to no person, so no person's cost moves
        build_gateway(con, storms=max(3, engineers // 50))
        build_cloud(con)

        write_org_people(con, out_dir)
        budget = build_budgets(con, out_dir, start, end)
        anthropic_files.write_usage_report(con, out_dir)
        anthropic_files.write_cost_report(con, out_dir)
        anthropic_files.write_claude_code(con, out_dir)
        openai_files.write_usage_completions(con, out_dir)
        openai_files.write_costs(con, out_dir)
        write_transcripts(con, out_dir)
        github_files.write_github(con, out_dir)
        jira_files.write_jira(con, out_dir)
        copilot_files.write_copilot(con, out_dir)
        cursor_files.write_cursor(con, out_dir)
        litellm_files.write_litellm(con, out_dir)
        focus_files.write_focus(con, out_dir)

        params = {
            "engineers": engineers,
            "days": days,
            "seed": seed,
            "start_date": start.isoformat(),
            "end_date": end.isoformat(),
        }
        truth = build_truth(con, params, budget)
    finally:
        con.close()
        spill.cleanup()
    text = json.dumps(truth, indent=1, ensure_ascii=False) + "\n"
    (out_dir / "ground_truth.json").write_bytes(text.encode("utf-8"))
    return truth
