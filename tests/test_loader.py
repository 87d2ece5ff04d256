"""The one loader: idempotent, quarantines bad files, loses nothing already loaded."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb

from orchestration.lib.landing import LANDING_SOURCES, by_key
from orchestration.lib.loader import discover, load_source
from tests.helpers import EXAMPLE_PLACEMENT, EXAMPLES, load, place_examples, query, write_org

COSTS = by_key("openai", "costs")


def _rows(warehouse: Path, table: str) -> int:
    return query(warehouse, f"select count(*) from raw.{table}")[0][0]


def test_every_example_lands_in_its_folder(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    place_examples(landing)
    write_org(landing)
    results = {r.raw_table: r for r in load(landing, tmp_path / "w.duckdb")}
    loaded = sum(r.files_loaded for r in results.values())
    assert loaded == len(EXAMPLE_PLACEMENT) + 3
    assert not any(r.quarantined for r in results.values())
    # A JSON array page is one raw row per object; an object page is one row.
    assert results["github__pulls"].records_loaded == 2  # one-element list page + single PR
    assert results["jira__issues"].records_loaded == 1


def test_same_content_under_another_name_counts_once(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    folder = landing / "openai" / "costs"
    folder.mkdir(parents=True)
    shutil.copy(EXAMPLES / "openai_costs.json", folder / "costs_2024-11-01.json")
    warehouse = tmp_path / "w.duckdb"
    with duckdb.connect(str(warehouse)) as conn:
        first = load_source(conn, COSTS, landing)
        shutil.copy(EXAMPLES / "openai_costs.json", folder / "costs_2024-11-01_redelivered.json")
        second = load_source(conn, COSTS, landing)
        third = load_source(conn, COSTS, landing)
    assert (first.files_loaded, second.files_loaded, third.files_loaded) == (1, 0, 0)
    assert second.duplicates == ["openai/costs/costs_2024-11-01_redelivered.json"]
    assert third.duplicates == []  # already logged: re-running is a no-op
    assert _rows(warehouse, "openai__costs") == 1
    log = query(warehouse, "select status, duplicate_of from raw._file_log order by status")
    assert log == [("duplicate", "openai/costs/costs_2024-11-01.json"), ("loaded", None)]


def test_malformed_and_truncated_files_are_quarantined_and_nothing_is_lost(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    folder = landing / "openai" / "costs"
    folder.mkdir(parents=True)
    shutil.copy(EXAMPLES / "openai_costs.json", folder / "good_day1.json")
    warehouse = tmp_path / "w.duckdb"
    with duckdb.connect(str(warehouse)) as conn:
        load_source(conn, COSTS, landing)
    before = query(warehouse, "select payload from raw.openai__costs")

    text = (EXAMPLES / "openai_costs.json").read_text()
    (folder / "truncated.json").write_text(text[: len(text) // 2])
    (folder / "malformed.json").write_text('{"object": "page", "data": [1, 2,, 3]}')
    (folder / "good_day2.json").write_text(text.replace("1730419200", "1730505600"))
    with duckdb.connect(str(warehouse)) as conn:
        result = load_source(conn, COSTS, landing)

    assert set(result.quarantined) == {"openai/costs/truncated.json", "openai/costs/malformed.json"}
    assert all("Malformed JSON" in e or "JSON" in e for e in result.quarantined.values())
    assert result.files_loaded == 1  # the good file in the same batch still loads
    quarantine = query(warehouse, "select source_file, error from raw._quarantine order by 1")
    assert [row[0] for row in quarantine] == [
        "openai/costs/malformed.json",
        "openai/costs/truncated.json",
    ]
    assert all(str(tmp_path) in error for _, error in quarantine)  # names the file
    after = query(warehouse, "select payload from raw.openai__costs order by _source_file")
    assert before[0] in after and len(after) == 2


def test_a_fixed_file_leaves_quarantine(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    folder = landing / "openai" / "costs"
    folder.mkdir(parents=True)
    (folder / "day.json").write_text('{"data": [')
    warehouse = tmp_path / "w.duckdb"
    with duckdb.connect(str(warehouse)) as conn:
        assert load_source(conn, COSTS, landing).quarantined
        shutil.copy(EXAMPLES / "openai_costs.json", folder / "day.json")
        assert load_source(conn, COSTS, landing).files_loaded == 1
    assert query(warehouse, "select count(*) from raw._quarantine") == [(0,)]


def test_csv_cells_are_kept_as_delivered_and_matched_by_name(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    write_org(landing, people="A@x.io,A,payments,2026-01-01,\n")
    (landing / "org" / "people.csv").write_text(
        "team,email,valid_to,valid_from,name,extra\npayments,A@x.io,,2026-01-01,A,ignored\n"
    )
    warehouse = tmp_path / "w.duckdb"
    load(landing, warehouse)
    payload = query(warehouse, "select payload from raw.org__people")[0][0]
    assert '"email":"A@x.io"' in payload and '"valid_from":"2026-01-01"' in payload


def test_every_landing_folder_has_a_distinct_raw_table() -> None:
    tables = [spec.raw_table for spec in LANDING_SOURCES]
    assert len(tables) == len(set(tables))


def test_github_patterns_separate_pulls_from_their_children(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    place_examples(landing, [n for n in EXAMPLE_PLACEMENT if n.startswith("github")])
    pulls = discover(by_key("github", "pulls"), landing)
    commits = discover(by_key("github", "pull_commits"), landing)
    assert [p.name for p in pulls] == ["github_pull.json", "github_pulls.json"]
    assert [p.name for p in commits] == ["github_pull_commits.json"]


def test_a_ragged_csv_keeps_its_columns_by_name(tmp_path: Path) -> None:
    """A short row must not make DuckDB's sniffer pick another dialect for the whole file
    (which garbled every row): the row is padded with nulls, and staging rejects it."""
    landing = tmp_path / "landing"
    folder = landing / "focus"
    folder.mkdir(parents=True)
    (folder / "bill.csv").write_text(
        "BilledCost,BillingCurrency,ServiceCategory\n1.5,USD,Compute\n2.5,USD\n3.5,USD,Storage\n"
    )
    warehouse = tmp_path / "w.duckdb"
    with duckdb.connect(str(warehouse)) as conn:
        result = load_source(conn, by_key("focus", "billing"), landing)
    assert result.files_loaded == 1 and result.records_loaded == 3
    rows = query(warehouse, "select payload from raw.focus__billing order by _record_number")
    assert [json.loads(r[0]) for r in rows] == [
        {"BilledCost": "1.5", "BillingCurrency": "USD", "ServiceCategory": "Compute"},
        {"BilledCost": "2.5", "BillingCurrency": "USD", "ServiceCategory": None},
        {"BilledCost": "3.5", "BillingCurrency": "USD", "ServiceCategory": "Storage"},
    ]
