"""The code location loads, lineage joins by key, and dbt's arguments are built right."""

from __future__ import annotations

import json

import dagster as dg

from orchestration.lib.dbt import build_args, dbt_project, ensure_manifest
from orchestration.lib.landing import LANDING_SOURCES, by_key


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
    ingest = {"/".join(s.asset_key) for s in LANDING_SOURCES}
    assert ingest <= keys
    assert {"marts/fct_ai_usage", "marts/dim_people"} <= keys
    # No dependency points at a key nobody defines (a source whose key does not match its
    # ingest asset would appear as an external, unmaterializable asset).
    assert not [k for k in graph.get_all_asset_keys() if not graph.get(k).is_materializable]

    # Every dbt source is an ingest asset, and the marts descend from it: one lineage graph.
    manifest = json.loads(dbt_project.manifest_path.read_text())
    for source in manifest["sources"].values():
        spec = by_key(source["source_name"], source["name"])
        assert source["config"]["meta"]["dagster"]["asset_key"] == spec.asset_key
    upstream = graph.get(dg.AssetKey(["marts", "fct_ai_usage"])).parent_keys
    seen, frontier = set(), set(upstream)
    while frontier:
        key = frontier.pop()
        seen.add(key.to_user_string())
        frontier |= set(graph.get(key).parent_keys) - {
            dg.AssetKey.from_user_string(k) for k in seen
        }
    assert {
        "raw/anthropic__usage_report_messages",
        "raw/openai__usage_completions",
        "raw/org__people",
    } <= seen


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


def test_assets_are_grouped_by_layer_and_domain() -> None:
    """dagster-open-platform's rule: the UI's groups are the folders (layer_domain)."""
    from orchestration.definitions import defs

    manifest = json.loads(ensure_manifest().read_text())
    graph = defs.resolve_asset_graph()
    for spec in LANDING_SOURCES:
        assert graph.get(dg.AssetKey(spec.asset_key)).group_name == f"ingest_{spec.source}"
    for node in manifest["nodes"].values():
        if node["resource_type"] == "model":
            layer, domain = node["fqn"][1], node["fqn"][2]
            key = dg.AssetKey([node["config"]["schema"], node["name"]])
            assert graph.get(key).group_name == f"{layer}_{domain}", node["original_file_path"]
        elif node["resource_type"] == "seed":
            assert graph.get(dg.AssetKey(["seeds", node["name"]])).group_name == "seeds"
    assert graph.get(dg.AssetKey(["published", "marts_parquet"])).group_name == "publish"


def test_every_dbt_test_is_a_described_check_on_the_asset_it_guards() -> None:
    from orchestration.definitions import defs

    manifest = json.loads(ensure_manifest().read_text())
    graph = defs.resolve_asset_graph()
    checks = {key.name: key for key in graph.asset_check_keys}
    tests = [n for n in manifest["nodes"].values() if n["resource_type"] == "test"]
    # A singular test over several models without meta.dagster.ref would be missing here.
    assert not [t["name"] for t in tests if t["name"] not in checks]
    assert checks["assert_allocations_sum_to_usage"].asset_key == dg.AssetKey(
        ["marts", "fct_usage_allocation"]
    )
    assert checks["assert_escaped_defects_are_bugs_created_in_the_window"].asset_key == (
        dg.AssetKey(["marts", "fct_pull_requests"])
    )
    undescribed = [
        key.to_user_string()
        for key in graph.asset_check_keys
        if not graph.get_check_spec(key).description
    ]
    assert undescribed == []
    described = graph.get_check_spec(checks["assert_allocations_sum_to_usage"]).description
    assert described.startswith("Conservation: for every usage row")


def test_schedule_is_on_and_the_landing_sensor_is_off_by_default() -> None:
    from orchestration.definitions import defs

    schedule = defs.resolve_schedule_def("nightly_schedule")
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    sensor = defs.resolve_sensor_def("landing_files_sensor")
    assert sensor.default_status == dg.DefaultSensorStatus.STOPPED
    assert sensor.job_name == "nightly"


def test_importing_the_code_location_prints_no_warnings() -> None:
    """`make demo` once printed 20 identical BetaWarning blocks; any warning now fails."""
    import subprocess
    import sys
    from pathlib import Path

    done = subprocess.run(
        [sys.executable, "-c", "import orchestration.definitions"],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Warning" not in done.stderr, done.stderr[-2000:]
