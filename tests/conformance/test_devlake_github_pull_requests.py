"""Conformance: GitHub PR extraction against Apache DevLake's e2e golden files (panjf2000/ants).

Each raw PR payload becomes a single-PR landing file, PR commits and reviews become pages, the
generic loader and dbt run as in production, and the staging + mart columns must equal
DevLake's snapshot tables: 26 merged, 19 closed without merge, 4 open, and per PR the
created/merged/closed timestamps, refs, shas and author login.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

import pytest

from tests.conformance.devlake import DEVLAKE, connection, rows, utc, write_json
from tests.helpers import build_landing, query

GITHUB = DEVLAKE / "github" / "e2e"
RAW = GITHUB / "raw_tables"
SNAPSHOT = GITHUB / "snapshot_tables"
REPO_FOLDER = "github/panjf2000/ants/pulls"


def _land(landing: Path) -> None:
    # The snapshot covers ConnectionId 1. PR 4 was also collected by connection 2 with a
    # shorter title: land it as an older delivery, so the newest delivery must win.
    for row in rows(RAW / "_raw_github_api_pull_requests.csv"):
        payload = json.loads(row["data"])
        number = payload["number"]
        if connection(row) == 1:
            write_json(landing / REPO_FOLDER / f"{number}.json", payload)
        else:
            older = utc(payload["updated_at"].replace("Z", "+00:00")) - timedelta(days=1)
            write_json(landing / REPO_FOLDER / f"{number}_connection_2.json", payload, older)

    for table, folder in (("pull_request_commits", "commits"), ("pull_request_reviews", "reviews")):
        pages: dict[int, list] = defaultdict(list)
        for row in rows(RAW / f"_raw_github_api_{table}.csv"):
            if connection(row) == 1:
                pages[json.loads(row["input"])["Number"]].append(json.loads(row["data"]))
        for number, objects in pages.items():
            write_json(landing / REPO_FOLDER / str(number) / folder / "page_001.json", objects)

    # DevLake's bot-filter variant: a renovate[bot] PR that DevLake drops and we keep, flagged.
    for row in rows(RAW / "_raw_github_api_pull_requests_bot_filter.csv"):
        payload = json.loads(row["data"])
        write_json(landing / "github/test/repo/pulls" / f"{payload['number']}.json", payload)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_landing(
        tmp_path_factory.mktemp("devlake_github"),
        _land,
        "+fct_pull_requests +dim_people stg_github__pull_request_reviews",
    )


def _snapshot_pull_requests() -> dict[int, dict[str, str]]:
    return {int(r["pull_request_key"]): r for r in rows(SNAPSHOT / "pull_requests.csv")}


def test_merged_closed_open_counts_match_devlake(warehouse: Path) -> None:
    expected = {"MERGED": 0, "CLOSED": 0, "OPEN": 0}
    for row in _snapshot_pull_requests().values():
        expected[row["status"]] += 1
    assert expected == {"MERGED": 26, "CLOSED": 19, "OPEN": 4}

    merged, closed_unmerged, still_open = query(
        warehouse,
        "select count(*) filter (where is_merged), count(*) filter (where is_closed_unmerged), "
        "count(*) filter (where state = 'open') from marts.fct_pull_requests "
        "where repository = 'panjf2000/ants'",
    )[0]
    assert (merged, closed_unmerged, still_open) == (26, 19, 4)


def test_closed_unmerged_pull_requests_still_carry_a_merge_commit_sha(warehouse: Path) -> None:
    # Why "merged" must come from merged_at: every closed-unmerged PR has a merge_commit_sha.
    rows_ = query(
        warehouse,
        "select count(*), count(merge_commit_sha) from marts.fct_pull_requests "
        "where repository = 'panjf2000/ants' and is_closed_unmerged",
    )
    assert rows_ == [(19, 19)]


def test_each_pull_request_matches_devlake(warehouse: Path) -> None:
    expected = _snapshot_pull_requests()
    actual = {
        r[0]: r[1:]
        for r in query(
            warehouse,
            """
            select
                fct.pull_request_number,
                stg.github_pull_request_id,
                fct.opened_at,
                fct.merged_at,
                fct.closed_at,
                fct.head_ref,
                fct.base_ref,
                stg.head_sha,
                stg.base_sha,
                fct.merge_commit_sha,
                stg.author_login,
                fct.title,
                fct.is_draft,
                case when fct.is_merged then 'MERGED' when fct.state = 'open' then 'OPEN'
                    else 'CLOSED' end
            from marts.fct_pull_requests as fct
            inner join staging.stg_github__pull_requests as stg
                on fct.pull_request_id = stg.pull_request_id
            where fct.repository = 'panjf2000/ants'
            """,
        )
    }
    assert sorted(actual) == sorted(expected)
    for number, row in expected.items():
        want = (
            int(row["id"].rsplit(":", 1)[1]),
            utc(row["created_date"]),
            utc(row["merged_date"]),
            utc(row["closed_date"]),
            row["head_ref"],
            row["base_ref"],
            row["head_commit_sha"],
            row["base_commit_sha"],
            row["merge_commit_sha"],
            row["author_name"],
            row["title"],
            row["is_draft"] == "1",
            row["status"],
        )
        assert actual[number] == want, f"PR #{number}"


def test_pull_request_commits_match_devlake(warehouse: Path) -> None:
    expected = {
        (int(r["pull_request_id"].rsplit(":", 1)[1]), r["commit_sha"]): (
            r["commit_author_email"].lower(),
            utc(r["commit_authored_date"]),
        )
        for r in rows(SNAPSHOT / "pull_request_commits.csv")
    }
    actual = {
        (r[0], r[1]): (r[2], r[3])
        for r in query(
            warehouse,
            """
            select prs.github_pull_request_id, commits.commit_sha, commits.author_email,
                commits.authored_at
            from staging.stg_github__pull_request_commits as commits
            inner join staging.stg_github__pull_requests as prs
                on commits.pull_request_id = prs.pull_request_id
            """,
        )
    }
    assert actual == expected


def test_first_commit_is_the_earliest_authored_commit(warehouse: Path) -> None:
    earliest: dict[int, object] = {}
    for r in rows(SNAPSHOT / "pull_request_commits.csv"):
        github_id = int(r["pull_request_id"].rsplit(":", 1)[1])
        authored = utc(r["commit_authored_date"])
        earliest[github_id] = min(earliest.get(github_id, authored), authored)
    actual = dict(
        query(
            warehouse,
            """
            select prs.github_pull_request_id, fct.first_commit_at
            from marts.fct_pull_requests as fct
            inner join staging.stg_github__pull_requests as prs
                on fct.pull_request_id = prs.pull_request_id
            where fct.first_commit_at is not null
            """,
        )
    )
    assert actual == earliest


def test_pull_request_reviews_match_devlake(warehouse: Path) -> None:
    expected = {
        int(r["github_id"]): (
            int(r["pull_request_id"]),
            r["author_username"],
            utc(r["github_submit_at"]),
            r["commit_sha"],
            r["state"],
        )
        for r in rows(SNAPSHOT / "_tool_github_pull_request_reviews.csv")
        if r["connection_id"] == "1"
    }
    actual = {
        r[0]: r[1:]
        for r in query(
            warehouse,
            """
            select reviews.pull_request_review_id, prs.github_pull_request_id,
                reviews.reviewer_login, reviews.submitted_at, reviews.commit_sha,
                reviews.review_state
            from staging.stg_github__pull_request_reviews as reviews
            inner join staging.stg_github__pull_requests as prs
                on reviews.pull_request_id = prs.pull_request_id
            """,
        )
    }
    assert actual == expected


def test_bot_pull_requests_are_kept_and_flagged(warehouse: Path) -> None:
    # DevLake's bot filter drops renovate[bot]; tokenworth keeps the PR (it is work that was
    # merged) and flags it, keeping the login only because it is a bot's.
    rows_ = query(
        warehouse,
        "select pull_request_number, is_bot_authored, author_login, person_id, is_merged "
        "from marts.fct_pull_requests where repository = 'test/repo' order by 1",
    )
    assert rows_ == [(999, True, "renovate[bot]", None, True), (1000, False, None, None, False)]
