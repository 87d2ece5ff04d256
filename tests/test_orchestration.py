"""The code location loads, lineage joins by key, and dbt's arguments are built right."""

from __future__ import annotations

import json

import dagster as dg

from orchestration.lib.dbt import build_args, dbt_project, ensure_manifest
from orchestration.lib.landing import LANDING_SOURCES


def test_build_args_without_a_window_is_a_plain_build() -> None:
    assert build_args() == ["build"]


def test_build_args_pass_the_partition_window_as_vars() -> None:
    args = build_args("2026-10-01", "2026-10-02")
    assert args[:2] == ["build", "--vars"]
    assert json.loads(args[2]) == {"start_date": "2026-10-01", "end_date": "2026-10-02"}


def test_code_location_loads_with_one_graph_from_landing_to_marts() -> None:
    ensure_manifest()
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    ingest = {f"{s.source}/{s.table}" for s in LANDING_SOURCES}
    assert ingest <= keys
    assert {"marts/fct_ai_usage", "marts/dim_people"} <= keys

    # Every dbt source is an ingest asset, and the marts descend from it: one lineage graph.
    manifest = json.loads(dbt_project.manifest_path.read_text())
    sources = {f"{s['source_name']}/{s['name']}" for s in manifest["sources"].values()}
    assert sources <= ingest
    upstream = graph.get(dg.AssetKey(["marts", "fct_ai_usage"])).parent_keys
    seen, frontier = set(), set(upstream)
    while frontier:
        key = frontier.pop()
        seen.add(key.to_user_string())
        frontier |= set(graph.get(key).parent_keys) - {
            dg.AssetKey.from_user_string(k) for k in seen
        }
    assert {"anthropic/usage_report_messages", "openai/usage_completions", "org/people"} <= seen


def test_nightly_job_and_schedule_exist() -> None:
    from orchestration.definitions import defs

    job = defs.resolve_job_def("nightly")
    assert job.partitions_def is not None
    assert defs.resolve_schedule_def("nightly_schedule").cron_schedule == "0 2 * * *"


def test_code_location_loads_as_dagster_dev_loads_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`make dev` on a fresh clone: dev mode (the manifest is re-parsed on load) with nothing
    on PATH but the system's own folders, so `dbt` must be found without PATH."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    home = tmp_path / "dagster_home"
    home.mkdir()
    venv_bin = Path(sys.executable).parent
    env = {
        "HOME": str(tmp_path),
        "PATH": "/usr/bin:/bin",
        "DAGSTER_HOME": str(home),
        "DAGSTER_IS_DEV_CLI": "1",
        "PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE", ""),
    }
    done = subprocess.run(
        [str(venv_bin / "dagster"), "definitions", "validate", "-m", "orchestration.definitions"],
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "Validation successful" in done.stdout + done.stderr
