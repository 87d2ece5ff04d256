"""The Dagster UI tells the story, seen through a real headless Chromium.

`dagster-webserver` alone serves the code location (not `dagster dev`, which does not exit
cleanly without a terminal), with its own DAGSTER_HOME. The browser checks that the global
lineage shows the path from a landing asset through staging and intermediate to
`mart_team_weekly`, grouped by layer and domain, and that the mart's page shows its column docs
and its checks with their descriptions. Screenshots are kept under .ci_tmp/ui_screenshots/.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
from playwright.sync_api import BrowserContext, Page, sync_playwright

from orchestration.lib.dbt import ensure_manifest

REPO = Path(__file__).resolve().parents[1]
SCREENSHOTS = REPO / ".ci_tmp" / "ui_screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LANDING_ASSET = dg.AssetKey(["raw", "anthropic__usage_report_messages"])
MART = dg.AssetKey(["marts", "mart_team_weekly"])
STARTUP_SECONDS = 240  # two shared cores: the code server imports dbt and Dagster


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _graphql(base: str, query: str) -> dict:
    request = urllib.request.Request(
        f"{base}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


LOCATION_STATUS = """
{ workspaceOrError { ... on Workspace { locationEntries {
    name loadStatus locationOrLoadError { __typename ... on PythonError { message } }
} } } }
"""


def _wait_until_loaded(base: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"dagster-webserver exited early:\n{log.read_text()[-3000:]}")
        try:
            entries = _graphql(base, LOCATION_STATUS)["data"]["workspaceOrError"]
        except OSError:
            time.sleep(1)
            continue
        [entry] = entries["locationEntries"]
        loaded = entry["locationOrLoadError"] or {}
        if loaded.get("__typename") == "PythonError":
            pytest.fail(f"code location failed to load: {loaded['message'][:2000]}")
        if entry["loadStatus"] == "LOADED" and loaded.get("__typename") == "RepositoryLocation":
            return
        time.sleep(1)
    pytest.fail(f"the UI did not load within {STARTUP_SECONDS}s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def ui(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium)")
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    ensure_manifest()
    root = tmp_path_factory.mktemp("ui")
    home = root / "dagster_home"
    home.mkdir()
    shutil.copy(REPO / "orchestration" / "dagster.yaml", home / "dagster.yaml")
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "TOKENWORTH_LANDING_DIR": str(root / "landing"),
        "TOKENWORTH_WAREHOUSE": str(root / "warehouse.duckdb"),
    }
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = SCREENSHOTS / "dagster-webserver.log"
    webserver = Path(sys.executable).parent / "dagster-webserver"
    with log.open("w") as out:
        server = subprocess.Popen(
            [str(webserver), "-m", "orchestration.definitions", "-h", "127.0.0.1", "-p", str(port)],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_loaded(base, server, log)
        # The first page otherwise opens with a community modal over everything.
        assert _graphql(base, "mutation { setNuxSeen }")["data"]["setNuxSeen"] is True
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="module")
def browser(ui: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium_profile")),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1920, "height": 1080},
        )
        context.set_default_timeout(90_000)
        yield context
        context.close()


def _page(browser: BrowserContext, url: str, height: int = 1080) -> Page:
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_viewport_size({"width": 1920, "height": height})
    page.goto(url)
    return page


def _shows(label: str, name: str) -> bool:
    """The UI middle-truncates long names to fit a node: `anthropi…_messages`."""
    if "…" not in label:
        return label == name
    head, tail = label.split("…", 1)
    return name.startswith(head) and name.endswith(tail) and len(name) >= len(head + tail)


def _path_between(source: dg.AssetKey, target: dg.AssetKey) -> set[dg.AssetKey]:
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()

    def reach(start: dg.AssetKey, step: str) -> set[dg.AssetKey]:
        seen, frontier = {start}, [start]
        while frontier:
            for key in getattr(graph.get(frontier.pop()), step):
                if key not in seen:
                    seen.add(key)
                    frontier.append(key)
        return seen

    return reach(source, "child_keys") & reach(target, "parent_keys")


def test_lineage_runs_from_a_landing_asset_through_the_layers_to_the_mart(
    ui: str, browser: BrowserContext
) -> None:
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    path = _path_between(LANDING_ASSET, MART)
    layers = {graph.get(key).group_name.split("_")[0] for key in path}
    assert layers == {"ingest", "staging", "intermediate", "marts"}

    # The whole graph opens as one box per group: layers and domains, left to right.
    # Tall enough that every group box is on screen: the UI draws only what is in view.
    page = _page(browser, f"{ui}/asset-groups", height=2400)
    headers = page.locator("foreignObject.group [data-tooltip]")
    headers.first.wait_for()
    page.wait_for_timeout(1500)
    page.screenshot(path=SCREENSHOTS / "lineage_all_groups.png")
    shown = set(headers.evaluate_all("nodes => nodes.map(n => n.getAttribute('data-tooltip'))"))
    assert shown == {graph.get(key).group_name for key in graph.get_all_asset_keys()}

    # Typed into the lineage search, as a user would: every asset on the path between the two.
    query = f'key:"{LANDING_ASSET.to_user_string()}"+ and +key:"{MART.to_user_string()}"'
    page = _page(browser, f"{ui}/asset-groups~{urllib.parse.quote(query, safe='')}/")
    page.locator("foreignObject.group").first.wait_for()
    page.keyboard.press("Alt+e")  # "Expand all groups"
    names = page.locator("[class*='AssetNode_assetName']")
    names.nth(len(path) - 1).wait_for()
    page.wait_for_timeout(1500)  # let the layout settle before the screenshot
    page.screenshot(path=SCREENSHOTS / "lineage_landing_to_mart_team_weekly.png")

    labels = [names.nth(i).inner_text().strip() for i in range(names.count())]
    assert len(labels) == len(path), labels
    missing = [k.path[-1] for k in path if not any(_shows(lab, k.path[-1]) for lab in labels)]
    assert missing == [], labels
    groups = set(
        page.locator("foreignObject.group [data-tooltip]").evaluate_all(
            "nodes => nodes.map(n => n.getAttribute('data-tooltip'))"
        )
    )
    assert groups == {graph.get(key).group_name for key in path}


def test_the_mart_page_shows_its_column_docs_and_checks(ui: str, browser: BrowserContext) -> None:
    manifest = json.loads(ensure_manifest().read_text())
    [node] = [n for n in manifest["nodes"].values() if n["name"] == MART.path[-1]]
    column = node["columns"]["cost_per_merged_pr_usd"]

    page = _page(browser, f"{ui}/assets/{MART.to_user_string()}")
    row = page.get_by_role("row").filter(has_text=column["name"])
    row.scroll_into_view_if_needed()
    assert column["description"][:60] in row.inner_text()
    assert page.get_by_text("marts_value").first.is_visible()  # its group
    page.screenshot(path=SCREENSHOTS / "mart_team_weekly_columns.png")

    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    checks = sorted(k.name for k in graph.asset_check_keys if k.asset_key == MART)
    page = _page(browser, f"{ui}/assets/{MART.to_user_string()}?view=checks")
    page.get_by_text(f"Checks ({len(checks)})").wait_for()
    grain = next(name for name in checks if name.startswith("unique_combination"))
    page.get_by_placeholder("Filter checks").fill(grain)
    page.get_by_text("Not Evaluated").first.click()
    description = graph.get_check_spec(dg.AssetCheckKey(MART, grain)).description
    page.get_by_text(description).wait_for()
    page.screenshot(path=SCREENSHOTS / "mart_team_weekly_checks.png")


def test_the_key_invariant_is_a_check_on_the_allocation_mart(
    ui: str, browser: BrowserContext
) -> None:
    page = _page(browser, f"{ui}/assets/marts/fct_usage_allocation?view=checks")
    page.get_by_placeholder("Filter checks").fill("assert_allocations_sum_to_usage")
    page.get_by_text("Not Evaluated").first.click()
    page.get_by_text("Conservation: for every usage row").wait_for()
    page.get_by_text("This is a blocking asset check").wait_for()
    page.screenshot(path=SCREENSHOTS / "fct_usage_allocation_conservation_check.png")
