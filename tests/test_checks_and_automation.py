"""Check descriptions, source freshness as checks, the landing sensor and the progress outline."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.defs.freshness import freshness_rules
from orchestration.lib.check_descriptions import describe_test, opening_comment
from orchestration.lib.progress import ingest_line
from tests.helpers import place_examples

JIRA = dg.AssetKey(["raw", "jira__issues"])


def _generic(name: str, **kwargs: object) -> dict:
    return {
        "name": f"{name}_x",
        "attached_node": "model.tokenworth.fct_tickets",
        "test_metadata": {"name": name, "kwargs": kwargs},
        "config": {},
    }


def test_generic_tests_are_described_from_their_arguments() -> None:
    assert describe_test(_generic("not_null", column_name="ticket_key")) == (
        "`ticket_key` is never null; a failure means rows of fct_tickets lack a required value."
    )
    assert describe_test(_generic("unique_combination_of_columns", columns=["a", "b"])) == (
        "Grain: one row per (a, b) in fct_tickets; a failure means duplicated rows."
    )
    relationship = _generic(
        "relationships", column_name="person_id", to="ref('dim_people')", field="person_id"
    )
    assert describe_test(relationship) == (
        "Every `person_id` of fct_tickets is a `person_id` of dim_people; a failure means rows "
        "that join to nothing."
    )
    accepted = _generic("accepted_values", column_name="status", values=["open", "done"])
    accepted["config"] = {"where": "is_bug"}
    assert describe_test(accepted).startswith("`status` is one of: open, done;")
    assert describe_test(accepted).endswith(" Only rows where is_bug.")


def test_a_yaml_description_wins_and_singular_tests_use_their_opening_comment() -> None:
    assert describe_test({**_generic("unique", column_name="k"), "description": "Mine."}) == "Mine."
    sql = "-- A failure means spend\n-- was counted twice.\nselect 1\n-- not this\n"
    assert opening_comment(sql) == "A failure means spend was counted twice."
    assert describe_test({"name": "assert_x", "raw_code": sql}) == opening_comment(sql)


def test_source_freshness_rules_follow_dbt() -> None:
    def source(name: str, freshness: dict | None) -> dict:
        return {
            "resource_type": "source",
            "source_name": "s",
            "name": name,
            "config": {"freshness": freshness, "meta": {}},
        }

    manifest = {
        "sources": {
            "a": source("warned", {"warn_after": {"count": 36, "period": "hour"}}),
            "b": source("errored", {"error_after": {"count": 2, "period": "day"}}),
            "c": source(
                "both",
                {
                    "warn_after": {"count": 30, "period": "minute"},
                    "error_after": {"count": 1, "period": "day"},
                },
            ),
            "d": source("none", {"warn_after": {"count": None, "period": None}}),
            "e": source("absent", None),
        }
    }
    assert freshness_rules(manifest) == {
        dg.AssetKey(["s", "warned"]): (timedelta(hours=36), dg.AssetCheckSeverity.WARN),
        dg.AssetKey(["s", "errored"]): (timedelta(days=2), dg.AssetCheckSeverity.ERROR),
        dg.AssetKey(["s", "both"]): (timedelta(minutes=30), dg.AssetCheckSeverity.WARN),
    }


@pytest.fixture
def landing_env(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse.duckdb"
    old = {k: os.environ.get(k) for k in ("TOKENWORTH_LANDING_DIR", "TOKENWORTH_WAREHOUSE")}
    os.environ["TOKENWORTH_LANDING_DIR"] = str(landing)
    os.environ["TOKENWORTH_WAREHOUSE"] = str(warehouse)
    yield landing, warehouse
    for key, value in old.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def _run_jira_ingest(instance: dg.DagsterInstance) -> dict[str, dg.AssetCheckEvaluation]:
    from orchestration.definitions import defs
    from orchestration.lib.progress import progress_logger

    job = defs.resolve_job_def("nightly")
    job = job.with_logger_defs({**job.loggers, "progress": progress_logger})
    result = job.execute_in_process(
        asset_selection=[JIRA],
        partition_key="2026-10-31",
        instance=instance,
        run_config={"loggers": {"progress": {}}},
    )
    assert result.success
    return {e.check_name: e for e in result.get_asset_check_evaluations()}


def test_freshness_follows_data_arrival_not_the_run(
    landing_env: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """The dbt source freshness rule (jira: warn after 36 h) runs with ingest. A night that
    loads no new file does not refresh it: only the newest `_loaded_at` counts."""
    landing, warehouse = landing_env
    place_examples(landing, ["jira_search_jql.json"])
    with dg.instance_for_test() as instance:
        first = _run_jira_ingest(instance)
        assert first["freshness_check"].passed
        assert first["no_quarantined_files"].passed
        # The outline names the source, its files and its rows.
        [line] = [line for line in capsys.readouterr().out.splitlines() if "jira" in line]
        *words, seconds = line.split()
        assert words == ["ingest", "raw/jira__issues", "1", "new", "of", "1", "files", "1", "rows"]
        assert seconds.endswith("s")

        with duckdb.connect(str(warehouse)) as conn:
            conn.execute("update raw.jira__issues set _loaded_at = _loaded_at - interval 3 days")
        second = _run_jira_ingest(instance)
        assert not second["freshness_check"].passed
        assert second["freshness_check"].severity == dg.AssetCheckSeverity.WARN


def test_the_landing_sensor_requests_one_run_per_new_state(
    landing_env: tuple[Path, Path],
) -> None:
    from orchestration.defs.partitions import daily
    from orchestration.defs.schedules import landing_files_sensor

    landing, _ = landing_env

    def tick(cursor: str | None) -> dg.SensorResult:
        return landing_files_sensor(dg.build_sensor_context(cursor=cursor))

    assert not tick(None).run_requests  # no landing folder yet
    place_examples(landing, ["jira_search_jql.json"])
    first = tick(None)
    [request] = first.run_requests
    assert request.partition_key == daily.get_last_partition_key()
    assert not tick(first.cursor).run_requests  # nothing changed since

    (landing / "org").mkdir()
    (landing / "org" / "people.csv").write_text("email,name,team,valid_from,valid_to\n")
    second = tick(first.cursor)
    [again] = second.run_requests
    assert again.run_key == second.cursor != first.cursor


def test_ingest_line_says_files_rows_and_trouble() -> None:
    metadata = {
        "files_seen": dg.MetadataValue.int(12),
        "files_loaded": dg.MetadataValue.int(9),
        "records_loaded": dg.MetadataValue.int(12345),
        "duplicate_files": dg.MetadataValue.int(2),
        "quarantined_files": dg.MetadataValue.int(1),
    }
    line = ingest_line("raw/x", metadata, 1.25)
    assert " ".join(line.split()) == (
        "ingest raw/x 9 new of 12 files 12,345 rows 1.2s "
        "[2 duplicate, 1 QUARANTINED (see raw._quarantine)]"
    )
