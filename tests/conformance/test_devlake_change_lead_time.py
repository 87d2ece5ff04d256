"""Conformance: PR cycle-time breakdown against Apache DevLake's DORA golden files.

`dora/e2e/change_lead_time/` holds DevLake *domain* tables, not GitHub payloads, so this test
writes the GitHub-shaped landing files those tables describe: each pull request becomes a
single-PR object, its commits (with their authored dates) a commits page, and its comments a
reviews page (state COMMENTED, submitted when the comment was made, by the comment's
account). After the loader and dbt, fct_pull_requests must reproduce `project_pr_metrics.csv`
on every component the two definitions share:
- coding = first commit authored → PR created (identical);
- pickup = created → first comment/review not by the author (identical on this data, where
  every comment is landed as a review; tokenworth counts reviews only, see pickup_hours);
- review = that first comment/review → merged (identical);
- cycle = earlier of first commit and creation → merged; DevLake runs it on to the first
  production deployment, so the two agree exactly where DevLake has no deployment time, and
  elsewhere DevLake's cycle minus its deploy stage is ours.
DevLake's unit is minutes rounded up, with negative spans NULL; ours is unrounded hours.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from tests.conformance.devlake import DEVLAKE, devlake_minutes, iso_z, rows, utc, write_json
from tests.helpers import build_landing, query

CHANGE_LEAD_TIME = DEVLAKE / "dora" / "e2e" / "change_lead_time"
REPOSITORY = "devlake/repo1"


def _number(devlake_id: str) -> int:
    return int(re.fullmatch(r"[a-z]+(\d+)", devlake_id).group(1))  # pr3 -> 3, comment07 -> 7


def _land(landing: Path) -> None:
    pulls = landing / "github" / REPOSITORY / "pulls"
    for pr in rows(CHANGE_LEAD_TIME / "pull_requests.csv"):
        number = _number(pr["id"])
        merged_at = iso_z(utc(pr["merged_date"]))
        write_json(
            pulls / f"{number}.json",
            {
                "number": number,
                "id": number,
                "state": "closed" if merged_at else "open",
                "draft": False,
                "title": pr["id"],
                "body": None,
                # An empty author_id is a PR whose author GitHub no longer knows (user null).
                "user": {"login": pr["author_id"], "type": "User"} if pr["author_id"] else None,
                "created_at": iso_z(utc(pr["created_date"])),
                "updated_at": merged_at or iso_z(utc(pr["created_date"])),
                "closed_at": merged_at,
                "merged_at": merged_at,
                "merge_commit_sha": pr["merge_commit_sha"],
                "head": {"ref": pr["id"], "sha": pr["head_commit_sha"] or None},
                "base": {"ref": "main", "sha": pr["base_commit_sha"] or None},
                "labels": [],
            },
        )

    commits: dict[int, list] = defaultdict(list)
    for commit in rows(CHANGE_LEAD_TIME / "pull_request_commits.csv"):
        authored = iso_z(utc(commit["commit_authored_date"]))
        commits[_number(commit["pull_request_id"])].append(
            {
                "sha": commit["commit_sha"],
                "commit": {
                    "message": f"commit {commit['commit_sha'][:7]}",
                    "author": {"name": "dev", "email": "dev@example.com", "date": authored},
                    "committer": {"name": "dev", "email": "dev@example.com", "date": authored},
                },
                "author": None,
                "committer": None,
                "parents": [{"sha": "0" * 40}],
            }
        )
    for number, page in commits.items():
        write_json(pulls / str(number) / "commits" / "page_001.json", page)

    reviews: dict[int, list] = defaultdict(list)
    for comment in rows(CHANGE_LEAD_TIME / "pull_request_comments.csv"):
        reviews[_number(comment["pull_request_id"])].append(
            {
                "id": _number(comment["id"]),
                "user": {"login": comment["account_id"], "type": "User"},
                "state": "COMMENTED",
                "submitted_at": iso_z(utc(comment["created_date"])),
            }
        )
    for number, page in reviews.items():
        write_json(pulls / str(number) / "reviews" / "page_001.json", page)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_landing(
        tmp_path_factory.mktemp("devlake_change_lead_time"), _land, "+fct_pull_requests +dim_people"
    )


@pytest.fixture(scope="module")
def actual(warehouse: Path) -> dict[str, dict]:
    columns = (
        "first_commit_at, first_review_at, opened_at, merged_at, "
        "coding_hours, pickup_hours, review_hours, cycle_hours"
    )
    result = query(
        warehouse,
        f"select pull_request_number, {columns} from marts.fct_pull_requests where repository = ?",
        [REPOSITORY],
    )
    names = [c.strip() for c in columns.split(",")]
    return {f"pr{r[0]}": dict(zip(names, r[1:], strict=True)) for r in result}


def _expected() -> dict[str, dict[str, str]]:
    return {r["id"]: r for r in rows(CHANGE_LEAD_TIME / "project_pr_metrics.csv")}


def _minutes(value: str) -> int | None:
    return int(value) if value else None


def test_every_devlake_metric_row_is_a_merged_pull_request(actual: dict[str, dict]) -> None:
    expected = _expected()
    assert len(expected) == 6
    assert set(expected) <= set(actual)
    assert all(actual[pr]["merged_at"] is not None for pr in expected)
    # pr6 was never merged: DevLake has no metrics row, and it has no review or cycle time.
    assert actual["pr6"]["merged_at"] is None
    assert actual["pr6"]["review_hours"] is None and actual["pr6"]["cycle_hours"] is None


@pytest.mark.parametrize("pr", sorted(_expected()))
def test_milestones_match_devlake(actual: dict[str, dict], pr: str) -> None:
    want = _expected()[pr]
    got = actual[pr]
    assert got["first_commit_at"] == utc(want["first_commit_authored_date"])
    assert got["first_review_at"] == utc(want["first_comment_date"])
    assert got["opened_at"] == utc(want["pr_created_date"])
    assert got["merged_at"] == utc(want["pr_merged_date"])


@pytest.mark.parametrize("pr", sorted(_expected()))
def test_coding_pickup_review_minutes_match_devlake(actual: dict[str, dict], pr: str) -> None:
    want = _expected()[pr]
    got = actual[pr]
    assert devlake_minutes(got["coding_hours"]) == _minutes(want["pr_coding_time"])
    assert devlake_minutes(got["pickup_hours"]) == _minutes(want["pr_pickup_time"])
    assert devlake_minutes(got["review_hours"]) == _minutes(want["pr_review_time"])


@pytest.mark.parametrize("pr", sorted(_expected()))
def test_cycle_ends_at_merge_where_devlake_ends_at_deployment(
    actual: dict[str, dict], pr: str
) -> None:
    want = _expected()[pr]
    ours = devlake_minutes(actual[pr]["cycle_hours"])
    deploy = _minutes(want["pr_deploy_time"])
    if deploy is None:
        assert ours == _minutes(want["pr_cycle_time"])
    else:
        # DevLake's cycle = ours + its deploy stage (merge → production), to within the one
        # minute its rounding up of each part can add.
        assert abs(ours + deploy - _minutes(want["pr_cycle_time"])) <= 1


def test_devlake_data_exercises_the_edge_cases(actual: dict[str, dict]) -> None:
    # Guards the fixture: the cases that make this test worth having are really in the data.
    assert actual["pr2"]["coding_hours"] is None  # first commit authored after the PR opened
    assert actual["pr3"]["pickup_hours"] is None  # first comment before the PR opened
    assert actual["pr3"]["review_hours"] is not None  # ... still starts the review stage
    assert actual["pr4"]["review_hours"] is None  # first comment after the merge
    assert actual["pr0"]["pickup_hours"] is None  # only the author commented
