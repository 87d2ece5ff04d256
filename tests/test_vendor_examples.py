"""Every vendor example, placed in its landing folder, loads and lands in staging with the
right units (issue: vendor examples). Numbers are checked against the files themselves."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, dbt, load, place_examples, query, write_org


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("examples")
    landing = root / "landing"
    place_examples(landing)
    write_org(
        landing,
        people="user@emaildomain.com,A User,payments,2025-01-01,\n",
        identities="user@emaildomain.com,anthropic_api_key,apikey_01Rj2N8SVvo6BePZj99NhmiT\n",
    )
    db = root / "examples.duckdb"
    load(landing, db)
    dbt(
        db,
        "build",
        "--select",
        "+fct_ai_usage +dim_people +dim_team_memberships",
        "--exclude",
        "test_type:unit",
        # Only tests whose every parent is selected: the delivery and allocation marts are
        # not built here.
        "--indirect-selection",
        "cautious",
    )
    return db


def test_openai_input_tokens_are_split_into_disjoint_counts(warehouse: Path) -> None:
    rows = query(
        warehouse,
        "select uncached_input_tokens, cache_read_tokens, cache_write_tokens, output_tokens "
        "from staging.stg_openai__completion_usage",
    )
    assert rows == [(500, 400, 100, 500)]


def test_anthropic_cost_is_cents_as_a_decimal_string(warehouse: Path) -> None:
    raw = json.loads((EXAMPLES / "anthropic_cost_report.json").read_text())
    amount = raw["data"][0]["results"][0]["amount"]
    rows = query(warehouse, "select amount_raw, amount_usd from staging.stg_anthropic__costs")
    assert rows == [(amount, Decimal(amount) / 100)]
    assert rows[0][1] == Decimal("1.2378912")


def test_claude_code_estimated_cost_is_integer_cents(warehouse: Path) -> None:
    rows = query(
        warehouse,
        "select model, estimated_cost_usd from staging.stg_anthropic__claude_code_usage "
        "where _source_file like '%claude_code_analytics.json' order by model",
    )
    assert rows == [("claude-opus-5", Decimal("1.86")), ("claude-sonnet-5", Decimal("0.42"))]


def test_both_anthropic_usage_shapes_load(warehouse: Path) -> None:
    rows = query(
        warehouse,
        "select model, account_id, uncached_input_tokens, cache_read_tokens, cache_write_tokens,"
        " output_tokens from staging.stg_anthropic__message_usage order by model",
    )
    assert rows == [
        ("claude-opus-5", "user_01WCz1FkmYMm4gnmykNKUu3Q", 1500, 200, 1500, 500),
        ("claude-sonnet-4-20250514", None, 1500, 200, 1500, 500),
    ]


def test_openai_costs_are_dollars(warehouse: Path) -> None:
    assert query(warehouse, "select amount_usd from staging.stg_openai__costs") == [
        (Decimal("0.06"),)
    ]


def test_billed_anthropic_day_sums_to_the_cost_report(warehouse: Path) -> None:
    billed, summed = query(
        warehouse,
        """
        select
            (select sum(amount_usd) from staging.stg_anthropic__costs),
            (select sum(cost_usd) from marts.fct_ai_usage
             where provider = 'anthropic' and cost_basis = 'billed')
        """,
    )[0]
    assert billed == summed == Decimal("1.2378912")


def test_usage_resolves_to_the_person_holding_the_key(warehouse: Path) -> None:
    rows = query(
        warehouse,
        """
        select u.usage_date, u.team, u.uncached_input_tokens
        from marts.fct_ai_usage as u
        join restricted.int_people_pseudonymised as p using (person_id)
        where p.email = 'user@emaildomain.com' and u.usage_source = 'anthropic_usage_report'
        """,
    )
    # The current-shape example is grouped by that api key; the 2025 one by another key too.
    assert len(rows) == 2 and {r[1] for r in rows} == {"payments"}
