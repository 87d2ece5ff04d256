"""One ledger per dollar when both Anthropic APIs are landed: on a day the Usage and Cost
Analytics API covers, its rows are the ledger (priced by its own billed cost, fractional
cents) and the legacy usage report's rows for that day are left out; on other days the legacy
report stands. Copilot's AI-credit billing is billed spend. Every number is computed by hand
from the pages below."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from tests.helpers import build_landing, query


def _messages(day: str, next_day: str, tokens: int) -> dict:
    return {
        "data": [
            {
                "starting_at": f"{day}T00:00:00Z",
                "ending_at": f"{next_day}T00:00:00Z",
                "results": [
                    {
                        "uncached_input_tokens": tokens,
                        "output_tokens": 10,
                        "cache_read_input_tokens": 0,
                        "model": "claude-sonnet-4-5",
                        "api_key_id": "apikey_ada",
                    }
                ],
            }
        ],
        "has_more": False,
        "next_page": None,
    }


def _land(landing: Path) -> None:
    pages = {
        "anthropic/usage_report_messages/legacy.json": {
            "data": _messages("2026-10-01", "2026-10-02", 1000)["data"]
            + _messages("2026-10-02", "2026-10-03", 2000)["data"],
            "has_more": False,
            "next_page": None,
        },
        "anthropic/cost_report/legacy.json": {
            "data": [
                {
                    "starting_at": f"2026-10-0{d}T00:00:00Z",
                    "ending_at": f"2026-10-0{d + 1}T00:00:00Z",
                    "results": [{"amount": "500", "currency": "USD"}],
                }
                for d in (1, 2)
            ],
            "has_more": False,
            "next_page": None,
        },
        "anthropic/analytics_usage/p1.json": {
            "data": [
                {
                    "starting_at": "2026-10-01T00:00:00Z",
                    "ending_at": "2026-10-02T00:00:00Z",
                    "group": {
                        "actor": {
                            "type": "user_actor",
                            "user_id": "user_01",
                            "email_address": "Ada@acme.dev",
                        },
                        "model": "claude-sonnet-4-5",
                        "product": "claude_code",
                    },
                    "usage": {
                        "uncached_input_tokens": 1000,
                        "output_tokens": 10,
                        "cache_read_input_tokens": 0,
                        "requests": 3,
                        "cache_creation": {
                            "ephemeral_5m_input_tokens": 0,
                            "ephemeral_1h_input_tokens": 0,
                        },
                    },
                }
            ],
            "has_more": False,
            "next_page": None,
        },
        "anthropic/analytics_cost/p1.json": {
            "data": [
                {
                    "starting_at": "2026-10-01T00:00:00Z",
                    "ending_at": "2026-10-02T00:00:00Z",
                    "group": {},
                    "cost": {
                        "amount": "512.3456",
                        "list_amount": "600",
                        "currency": "USD",
                        "requests": 3,
                    },
                }
            ],
            "has_more": False,
            "next_page": None,
        },
        "github_copilot/billing/d1.json": {
            "timePeriod": {"year": 2026, "month": 10, "day": 1},
            "organization": "acme",
            "usageItems": [
                {
                    "product": "Copilot",
                    "sku": "Copilot AI Credits",
                    "model": "GPT-5",
                    "unitType": "credits",
                    "pricePerUnit": 0.01,
                    "grossQuantity": 1000,
                    "grossAmount": 10.0,
                    "discountQuantity": 750,
                    "discountAmount": 7.5,
                    "netQuantity": 250,
                    "netAmount": 2.5,
                }
            ],
        },
    }
    for relative, page in pages.items():
        target = landing / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(page))


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_landing(
        tmp_path_factory.mktemp("one_ledger"),
        _land,
        "+int_ai_usage_priced assert_one_anthropic_ledger_per_day",
    )


def test_the_analytics_api_replaces_the_legacy_report_on_the_days_it_covers(
    warehouse: Path,
) -> None:
    rows = query(
        warehouse,
        "select usage_date::varchar, usage_source, tool, uncached_input_tokens, cost_usd, "
        "cost_basis, account_ref from intermediate.int_ai_usage_priced "
        "where provider = 'anthropic' order by usage_date",
    )
    assert rows == [
        # "512.3456" fractional cents billed, and the analytics actor's email as the account.
        (
            "2026-10-01",
            "anthropic_analytics",
            "claude_code",
            1000,
            Decimal("5.123456"),
            "billed",
            "ada@acme.dev",
        ),
        # The legacy report alone covers the 2nd: its "500" cents bill stands.
        ("2026-10-02", "anthropic_usage_report", "api", 2000, Decimal("5"), "billed", "apikey_ada"),
    ]


def test_copilot_ai_credit_billing_is_billed_spend(warehouse: Path) -> None:
    rows = query(
        warehouse,
        "select usage_date::varchar, usage_source, model, cost_usd, cost_basis "
        "from intermediate.int_ai_usage_priced where provider = 'github'",
    )
    # 1,000 credits x USD 0.01 = USD 10 gross, 7.50 covered by the plan: USD 2.50 billed.
    assert rows == [("2026-10-01", "copilot_billing", "GPT-5", Decimal("2.5"), "billed")]
