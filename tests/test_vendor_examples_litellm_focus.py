"""LiteLLM spend logs and FOCUS billing exports land in staging with the right units, links and
validation (issue 4).

FOCUS: the official sample (`vendor_examples/focus_sample.csv`, FinOps FOCUS-Sample-Data 1.0,
trimmed to 22 rows) is landed as CSV, CSV.gz and Parquet; every expectation about it is computed
here from the file with the csv module. Faulty rows are derived from the sample's own rows.

LiteLLM: there is no official example row (SOURCES.md), so the rows below are written
field-for-field from the table's schema, `vendor_examples/litellm_spendlogs_schema.prisma`
(BerriAI/litellm schema.prisma@029f645f, `model LiteLLM_SpendLogs`): the `/spend/logs` JSON
shape (typed values), and a CSV export of the same table (every value a string, JSON columns as
JSON text, `cache_hit` the string 'True', Postgres timestamps without a zone).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.helpers import EXAMPLES, dbt, load, query

SAMPLE = EXAMPLES / "focus_sample.csv"
PRISMA = EXAMPLES / "litellm_spendlogs_schema.prisma"
MODELS = ("base_focus__billing_rows", "stg_focus__charges", "stg_focus__rejected_rows")
LITELLM_MODEL = "stg_litellm__spend_logs"
NOW = time.time()
DAY = 86400.0

# ---------------------------------------------------------------------------------------------
# FOCUS: the validation rules, written again in Python (the SQL lives in base_focus__billing_rows)
# ---------------------------------------------------------------------------------------------

REQUIRED = [
    "BilledCost",
    "BillingAccountId",
    "BillingCurrency",
    "BillingPeriodStart",
    "BillingPeriodEnd",
    "ChargeCategory",
    "ChargePeriodStart",
    "ChargePeriodEnd",
    "ProviderName",
    "ServiceCategory",
]
NUMBERS = [
    "BilledCost",
    "EffectiveCost",
    "ListCost",
    "ContractedCost",
    "ListUnitPrice",
    "ContractedUnitPrice",
    "ConsumedQuantity",
    "PricingQuantity",
]
TIMESTAMPS = ["BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd"]
CHARGE_CATEGORIES = {"usage", "purchase", "tax", "credit", "adjustment"}
SERVICE_CATEGORIES = {
    "ai and machine learning",
    "analytics",
    "business applications",
    "compute",
    "databases",
    "developer tools",
    "multicloud",
    "identity",
    "integration",
    "internet of things",
    "management and governance",
    "media",
    "migration",
    "mobile",
    "networking",
    "security",
    "storage",
    "web",
    "other",
}
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_TIMESTAMP = re.compile(
    r"(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?"
    r"\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?",
    re.IGNORECASE,
)


def _cell(value: str | None) -> str | None:
    """FOCUS cell as staging reads it: the literal NULL and '' (any spaces) are nulls."""
    if value is None or value.strip().upper() in ("", "NULL"):
        return None
    return value.strip()


def _utc(value: str) -> datetime | None:
    """A FOCUS date/time as naive UTC; a value without a zone is already UTC."""
    match = _TIMESTAMP.fullmatch(value)
    if not match:
        return None
    day, clock, zone = match.groups()
    zone = "+00:00" if zone is None or zone.upper() in ("Z", "UTC") else zone
    if len(zone) == 3:
        zone += ":00"
    elif ":" not in zone:
        zone = zone[:3] + ":" + zone[3:]
    try:
        parsed = datetime.fromisoformat(f"{day}T{clock or '00:00:00'}{zone}")
    except ValueError:
        return None
    return parsed.astimezone(UTC).replace(tzinfo=None)


def _quoted(value: str) -> str:
    return f"'{value[:40]}...'" if len(value) > 40 else f"'{value}'"


def focus_reasons(row: dict[str, str | None]) -> list[str]:
    """Every reason a FOCUS row is rejected, in the order staging lists them."""
    cells = {name: _cell(value) for name, value in row.items()}
    reasons = []
    for name in REQUIRED:
        if name not in row:
            reasons.append(f"required column {name} missing")
        elif cells[name] is None:
            reasons.append(f"{name} is null")
    for name in NUMBERS:
        value = cells.get(name)
        if value is not None and not _NUMBER.fullmatch(value):
            reasons.append(f"{name} is not a number: {_quoted(value)}")
    for name in TIMESTAMPS:
        value = cells.get(name)
        if value is not None and _utc(value) is None:
            reasons.append(f"{name} is not a timestamp: {_quoted(value)}")
    currency = cells.get("BillingCurrency")
    if currency is not None and not re.fullmatch("[A-Za-z]{3}", currency):
        reasons.append(f"BillingCurrency is not an ISO 4217 code: {_quoted(currency)}")
    category = cells.get("ChargeCategory")
    if category is not None and category.lower() not in CHARGE_CATEGORIES:
        reasons.append(
            f"ChargeCategory is not Usage, Purchase, Tax, Credit or Adjustment: {_quoted(category)}"
        )
    charge_class = cells.get("ChargeClass")
    if charge_class is not None and charge_class.lower() != "correction":
        reasons.append(f"ChargeClass is not Correction: {_quoted(charge_class)}")
    service = cells.get("ServiceCategory")
    if service is not None and service.lower() not in SERVICE_CATEGORIES:
        reasons.append(f"ServiceCategory is not a FOCUS service category: {_quoted(service)}")
    start, end = (
        _utc(cells[n]) if cells.get(n) else None for n in ("ChargePeriodStart", "ChargePeriodEnd")
    )
    if start and end and end < start:
        reasons.append("ChargePeriodEnd is before ChargePeriodStart")
    tags = cells.get("Tags")
    if tags is not None:
        try:
            is_object = isinstance(json.loads(tags), dict)
        except ValueError:
            is_object = False
        if not is_object:
            reasons.append(f"Tags is not a JSON object: {_quoted(tags)}")
    return reasons


def _sample() -> tuple[list[str], list[list[str]]]:
    with SAMPLE.open(newline="") as handle:
        header, *rows = list(csv.reader(handle))
    return header, rows


def _write_csv(path: Path, header: list[str], rows: list[list[str]], mtime: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    os.utime(path, (mtime, mtime))


def _with(header: list[str], row: list[str], **values: str) -> list[str]:
    changed = list(row)
    for name, value in values.items():
        changed[header.index(name)] = value
    return changed


# Synthetic FOCUS files, each row derived from a row of the official sample (1-based row numbers).
def _faults(header: list[str], rows: list[list[str]]) -> list[list[str]]:
    return [
        # 1. The sample's Microsoft AI row 9 shifted one column right (its last cell dropped): the
        #    AvailabilityZone value 9.28 now sits under BilledCost, where it would pass as a cost.
        ["9.28", *rows[8][:-1]],
        # 2. A CUR-style dollar sign (vendor_examples/aws_cur_bedrock.csv writes `$0.069`).
        _with(header, rows[0], BilledCost="$0.069"),
        # 3. A day-first date.
        _with(header, rows[1], ChargePeriodStart="18/09/2024 22:00"),
        # 4. BilledCost is the literal NULL.
        _with(header, rows[2], BilledCost="NULL"),
        # 5. The charge period ends before it starts.
        _with(header, rows[3], ChargePeriodEnd="2024-09-23 18:00:00"),
        # 6. Tags that are not JSON.
        _with(header, rows[4], Tags="{not json"),
        # 7. Valid: an AI row with ISO timestamps (T and Z) and person/team/ticket/repo tags.
        _with(
            header,
            rows[13],
            BillingAccountId="synthetic-azure",
            ChargePeriodStart="2024-09-16T00:00:00Z",
            ChargePeriodEnd="2024-09-17T00:00:00Z",
            Tags=json.dumps(
                {
                    " Owner ": "Alice@Example.COM",
                    "TEAM": "payments",
                    "Ticket": "pay-12",
                    "repo": "https://github.com/acme/payments-api",
                }
            ),
        ),
        # 8. Valid: an offset timestamp, converted to UTC.
        _with(
            header,
            rows[15],
            BillingAccountId="synthetic-azure",
            ChargePeriodStart="2024-09-08T02:00:00+02:00",
            ChargePeriodEnd="2024-09-09T02:00:00+02:00",
        ),
    ]


def _focus_1_2(header: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """A FOCUS 1.2-style file: ServiceSubcategory present."""
    v12 = [*header, "ServiceSubcategory"]
    return v12, [
        [*_with(header, rows[13], BillingAccountId="synthetic-v12"), "Generative AI"],
        [*_with(header, rows[15], BillingAccountId="synthetic-v12"), "Machine Learning"],
    ]


def _restated(header: list[str], rows: list[list[str]], cost: str, row: int) -> list[list[str]]:
    return [_with(header, rows[row], BillingAccountId="restated-account", BilledCost=cost)]


# ---------------------------------------------------------------------------------------------
# LiteLLM: rows written field-for-field from the prisma schema
# ---------------------------------------------------------------------------------------------


def prisma_fields() -> list[tuple[str, str]]:
    """(column, prisma type) of `model LiteLLM_SpendLogs`, in schema order."""
    text = PRISMA.read_text()
    body = text[text.index("model LiteLLM_SpendLogs {") :].split("{", 1)[1].split("\n}", 1)[0]
    fields = []
    for line in body.splitlines():
        match = re.match(r"\s*(\w+)\s+(\w+)", line)
        if match and not line.strip().startswith(("//", "@@")):
            fields.append((match.group(1), match.group(2)))
    return fields


# The schema's @default values; every column not defaulted there is nullable (`?`) and null.
PRISMA_DEFAULTS = {
    "api_key": "",
    "spend": 0.0,
    "total_tokens": 0,
    "prompt_tokens": 0,
    "completion_tokens": 0,
    "model": "",
    "model_id": "",
    "model_group": "",
    "custom_llm_provider": "",
    "api_base": "",
    "user": "",
    "metadata": {},
    "cache_hit": "",
    "cache_key": "",
    "request_tags": [],
    "messages": {},
    "response": {},
    "proxy_server_request": {},
}
PROMPT_TEXT = "PROMPT TEXT: refactor the payment retry loop"
ALICE_KEY = "88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b"
BOB_KEY = "a73dc2b0c4a8d0f6e2f1b9d7c3e5a1f0b2d4c6e8a0f1e3d5c7b9a2d4f6e8c0a1"
CLAUDE_CODE_TAGS = [
    "ticket:PAY-12",
    "pr:42",
    "branch:feature/PAY-12-x",
    "User-Agent: claude-code/1.0",
]


def spend_log(request_id: str, **values: object) -> dict[str, object]:
    row: dict[str, object] = {name: PRISMA_DEFAULTS.get(name) for name, _ in prisma_fields()}
    row["request_id"] = request_id
    unknown = set(values) - set(row)
    assert not unknown, f"not SpendLogs columns: {unknown}"
    row.update(values)
    return row


def _alice(request_id: str, **values: object) -> dict[str, object]:
    """A Claude Code request through the gateway, as `/spend/logs` returns it."""
    base: dict[str, object] = dict(
        call_type="anthropic_messages",
        api_key=ALICE_KEY,
        spend=0.018327,
        total_tokens=5421,
        prompt_tokens=4890,
        completion_tokens=531,
        startTime="2025-03-04T10:15:02.123000+00:00",
        endTime="2025-03-04T10:15:09.877000+00:00",
        request_duration_ms=7754,
        completionStartTime="2025-03-04T10:15:03.410000+00:00",
        model="claude-sonnet-4-20250514",
        model_id="5f1c0de2-6a4b-4c1e-9a53-2b8f0c7d9e11",
        model_group="claude-sonnet-4",
        custom_llm_provider="anthropic",
        api_base="https://api.anthropic.com/v1/messages",
        user="Alice@Example.com",
        metadata={
            "user_api_key": ALICE_KEY,
            "user_api_key_alias": "alice-laptop",
            "user_api_key_team_id": "team-payments",
            "user_api_key_user_id": "Alice@Example.com",
            "user_api_key_team_alias": "payments",
            "spend_logs_metadata": None,
            "tags": ["ticket:PAY-12", "pr:42"],
        },
        cache_hit="False",
        request_tags=CLAUDE_CODE_TAGS,
        team_id="team-payments",
        session_id="0b6c8f1e-2d4a-4f7b-9c3e-5a1d7e9f2b4c",
        status="success",
        messages=[{"role": "user", "content": PROMPT_TEXT}],
        response={"content": [{"type": "text", "text": "RESPONSE TEXT"}]},
        proxy_server_request={"messages": [{"role": "user", "content": PROMPT_TEXT}]},
    )
    base.update(values)
    return spend_log(request_id, **base)


def _bob_failure(request_id: str) -> dict[str, object]:
    """A failed OpenAI request; the client logged custom metadata instead of tags."""
    return spend_log(
        request_id,
        call_type="acompletion",
        api_key=BOB_KEY,
        spend=0.0,
        startTime="2025-03-04T11:00:00.000000+00:00",
        endTime="2025-03-04T11:00:01.500000+00:00",
        model="gpt-4o",
        model_group="gpt-4o",
        custom_llm_provider="openai",
        metadata={
            "user_api_key_alias": "bob-ci",
            "user_api_key_user_id": "bob@example.com",
            "spend_logs_metadata": {
                "commit": "9FCEB02D0AE598E95DC970B74767F19372D61AF8",
                "repo": "acme/payments-api",
                "ticket": "pay-7",
            },
        },
        cache_hit="None",
        request_tags=["User-Agent: OpenAI/Python 1.66.3"],
        status="failure",
    )


def _tiny(request_id: str) -> dict[str, object]:
    """A cheap request whose spend Python (and Postgres) write in exponent form: 1.2e-05."""
    return spend_log(
        request_id,
        call_type="acompletion",
        api_key=ALICE_KEY,
        spend=1.2e-05,
        total_tokens=52,
        prompt_tokens=40,
        completion_tokens=12,
        startTime="2025-03-04T23:59:59.900000+00:00",
        endTime="2025-03-05T00:00:00.400000+00:00",
        model="gpt-4o-mini",
        custom_llm_provider="openai",
        metadata={"tags": ["branch:fix/PAY-7-retry", "commit:ABC1234", "pr:acme/payments-api#57"]},
        status="success",
    )


def to_csv_row(row: dict[str, object]) -> list[str]:
    """The row as a CSV export of the table writes it: JSON as text, NULL empty, naive UTC."""
    cells = []
    for name, kind in prisma_fields():
        value = row[name]
        if value is None:
            cells.append("")
        elif kind == "Json":
            cells.append(json.dumps(value))
        elif kind == "DateTime":
            moment = datetime.fromisoformat(str(value)).astimezone(UTC)
            cells.append(moment.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3])
        else:
            cells.append(str(value))
    return cells


def _csv_text(rows: list[dict[str, object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([name for name, _ in prisma_fields()])
    writer.writerows(to_csv_row(row) for row in rows)
    return buffer.getvalue()


def _write(path: Path, content: str | bytes, mtime: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    os.utime(path, (mtime, mtime))


def land_litellm(landing: Path) -> None:
    folder = landing / "litellm" / "spend_logs"
    first = NOW - 2 * DAY
    # `GET /spend/logs`: a JSON list of rows.
    logs = [_alice("chatcmpl-a1"), _bob_failure("chatcmpl-b2"), _alice("chatcmpl-c3", spend=0.0042)]
    _write(folder / "2025-03-04" / "spend_logs.json", json.dumps(logs, indent=2), first)
    # `GET /spend/logs/v2`: a page object wrapping its rows.
    page = {
        "data": [_tiny("chatcmpl-d4")],
        "total": 1,
        "page": 1,
        "page_size": 50,
        "total_pages": 1,
    }
    _write(folder / "2025-03-04" / "spend_logs_v2_page1.json", json.dumps(page), first)
    # NDJSON: one row per line; a response-cache hit.
    hit = _alice("chatcmpl-e5", cache_hit="True", spend=0.0, request_tags=[], metadata={})
    _write(folder / "2025-03-04" / "cache_hits.ndjson", json.dumps(hit) + "\n", first)
    # A later CSV export restates c3's spend (newest delivery wins) ...
    restated = _alice("chatcmpl-c3", spend=0.0047)
    _write(folder / "export" / "spend_logs_2025-03-05.csv", _csv_text([restated]), first + DAY)
    # ... and a gzipped CSV export carries twins of the JSON rows (same values, id + "-csv").
    twins = [
        {**row, "request_id": f"{row['request_id']}-csv"}
        for row in (_alice("chatcmpl-a1"), _bob_failure("chatcmpl-b2"), _tiny("chatcmpl-d4"), hit)
    ]
    gz = gzip.compress(_csv_text(twins).encode())
    _write(folder / "export" / "spend_logs_twins.csv.gz", gz, first + DAY)


def land_focus(landing: Path) -> None:
    header, rows = _sample()
    focus = landing / "focus"
    _write(focus / "focus_sample.csv", SAMPLE.read_bytes(), NOW - DAY)  # the file as published
    _write_csv(focus / "synthetic" / "faults.csv", header, _faults(header, rows), NOW - DAY)
    _write_csv(focus / "synthetic_v12" / "part-1.csv", *_focus_1_2(header, rows), NOW - DAY)
    # Export run 1, then run 2 in two parts, each restating the whole billing period.
    run1 = _restated(header, rows, "1.00", 0) + _restated(header, rows, "2.00", 1)
    _write_csv(focus / "restated" / "run-1" / "part-1.csv", header, run1, NOW - 3 * DAY)
    run2 = focus / "restated" / "run-2"
    _write_csv(run2 / "part-1.csv", header, _restated(header, rows, "1.10", 0), NOW - 2 * DAY)
    _write_csv(run2 / "part-2.csv", header, _restated(header, rows, "2.20", 1), NOW - 2 * DAY)


def land_focus_missing_column(landing: Path) -> None:
    """A file without ServiceCategory. Loaded in a run of its own: the loader reads a run's CSV
    files as one union-by-name batch, which would fill the column with nulls from other files."""
    header, rows = _sample()
    column = header.index("ServiceCategory")
    missing_header = header[:column] + header[column + 1 :]
    missing_rows = [row[:column] + row[column + 1 :] for row in rows[:2]]
    path = landing / "focus" / "synthetic_missing" / "part-1.csv"
    _write_csv(path, missing_header, missing_rows, NOW)


def redeliver_run_2_part_2(landing: Path) -> None:
    """Run 2's part 2 re-delivered under the same name with a corrected cost."""
    header, rows = _sample()
    part2 = _restated(header, rows, "2.25", 1)
    _write_csv(landing / "focus" / "restated" / "run-2" / "part-2.csv", header, part2, NOW)


def build(warehouse: Path, *models: str, unit_tests: bool = False) -> None:
    args = ["build", "--select", *models]
    if not unit_tests:
        args += ["--exclude", "test_type:unit"]
    dbt(warehouse, *args)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("litellm_focus")
    landing = root / "landing"
    land_litellm(landing)
    land_focus(landing)
    db = root / "w.duckdb"
    first = {r.raw_table: r for r in load(landing, db)}
    assert not first["litellm__spend_logs"].quarantined
    assert not first["focus__billing"].quarantined
    for later_delivery in (land_focus_missing_column, redeliver_run_2_part_2):
        later_delivery(landing)
        focus = {r.raw_table: r for r in load(landing, db)}["focus__billing"]
        assert focus.files_loaded == 1 and not focus.quarantined
    build(db, *MODELS, LITELLM_MODEL, unit_tests=True)
    return db


def _sample_warehouse(root: Path, name: str) -> Path:
    """The official sample alone in `focus/`, in one file format."""
    landing = root / "landing"
    folder = landing / "focus"
    folder.mkdir(parents=True)
    if name.endswith(".csv.gz"):
        (folder / name).write_bytes(gzip.compress(SAMPLE.read_bytes()))
    else:
        duckdb.execute(
            f"copy (select * from read_csv('{SAMPLE}', header = true, all_varchar = true)) "
            f"to '{folder / name}' (format parquet)"
        )
    db = root / "w.duckdb"
    results = {r.raw_table: r for r in load(landing, db)}
    assert results["focus__billing"].records_loaded == 22
    build(db, *MODELS)
    return db


@pytest.fixture(scope="module")
def gzip_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _sample_warehouse(tmp_path_factory.mktemp("focus_gz"), "focus_sample.csv.gz")


@pytest.fixture(scope="module")
def parquet_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _sample_warehouse(tmp_path_factory.mktemp("focus_parquet"), "focus_sample.parquet")


CHARGE_COLUMNS = (
    "_record_number, usage_date, charge_period_start_at, charge_period_end_at,"
    " billing_period_start_at, charge_category, charge_class, billed_cost, effective_cost,"
    " list_cost, billing_currency, billed_cost_raw, cost_usd, provider, publisher_name,"
    " billing_account_id, billing_account_name, service_category, service_subcategory,"
    " service_name, sku_id, resource_id, region_id, consumed_quantity, consumed_unit,"
    " pricing_quantity, pricing_unit, cast(tags as varchar), is_ai_spend, tag_person_email,"
    " tag_team, tag_ticket_key, tag_repository"
)


def _sample_charges(warehouse: Path, source_file: str) -> list[tuple]:
    return query(
        warehouse,
        f"select {CHARGE_COLUMNS} from staging.stg_focus__charges"
        " where _source_file = ? order by _record_number",
        [source_file],
    )


# ---------------------------------------------------------------------------------------------
# FOCUS tests
# ---------------------------------------------------------------------------------------------


def test_official_sample_has_no_row_to_reject(warehouse: Path) -> None:
    header, rows = _sample()
    # Computed from the file: every row has the header's 44 cells, and no row breaks a rule.
    assert len(rows) == 22 and {len(row) for row in rows} == {len(header)} == {44}
    expected = {
        i: r
        for i, row in enumerate(rows, 1)
        if (r := focus_reasons(dict(zip(header, row, strict=True))))
    }
    assert expected == {}
    assert not [r for r in rows if not _NUMBER.fullmatch(r[header.index("BilledCost")])]
    rejected = query(
        warehouse,
        "select count(*) from staging.stg_focus__rejected_rows"
        " where _source_file = 'focus/focus_sample.csv'",
    )
    assert rejected == [(0,)]
    assert len(_sample_charges(warehouse, "focus/focus_sample.csv")) == 22


def test_sample_availability_zone_holds_a_unit_price_but_rows_are_not_shifted() -> None:
    """vendor_formats.md calls the Microsoft rows 'shifted by a column'. Read by name they are not:
    BillingCurrency, the timestamps and ServiceCategory hold valid values, and only
    AvailabilityZone is wrong (it repeats ListUnitPrice). So they load; the checks that catch a
    real shift (numbers, currencies, categories, timestamps) are tested on one below."""
    header, rows = _sample()
    microsoft = [
        dict(zip(header, row, strict=True))
        for row in rows
        if row[header.index("ProviderName")] == "Microsoft"
    ]
    assert len(microsoft) == 11
    assert all(r["AvailabilityZone"] == r["ListUnitPrice"] for r in microsoft)
    assert {r["BillingCurrency"] for r in microsoft} == {"USD"}
    assert all(focus_reasons(r) == [] for r in microsoft)


def test_faulty_rows_are_rejected_with_every_reason(warehouse: Path) -> None:
    header, rows = _sample()
    faults = _faults(header, rows)
    expected = {
        i: reasons
        for i, row in enumerate(faults, 1)
        if (reasons := focus_reasons(dict(zip(header, row, strict=True))))
    }
    actual = {
        number: list(reasons)
        for number, reasons in query(
            warehouse,
            "select _record_number, rejection_reasons from staging.stg_focus__rejected_rows"
            " where _source_file = 'focus/synthetic/faults.csv'",
        )
    }
    assert actual == expected
    assert sorted(actual) == [1, 2, 3, 4, 5, 6]
    # Spelled out, so a reader sees what a shifted row looks like.
    assert actual[1] == [
        "ListCost is not a number: 'Microsoft'",
        "ContractedCost is not a number: 'Units/Month'",
        "PricingQuantity is not a number: 'Standard'",
        "BillingPeriodEnd is not a timestamp: 'USD'",
        "ChargePeriodEnd is not a timestamp: 'Usage-Based'",
        "BillingCurrency is not an ISO 4217 code: 'SunBird'",
        "ChargeCategory is not Usage, Purchase, Tax, Credit or Adjustment: '2024-09-01 00:00:00'",
        "ChargeClass is not Correction: 'Usage'",
        "ServiceCategory is not a FOCUS service category: 'Azure Machine Learning workspace'",
        "Tags is not a JSON object: 'Orion Pioneer'",
    ]
    assert actual[2] == ["BilledCost is not a number: '$0.069'"]
    assert actual[3] == ["ChargePeriodStart is not a timestamp: '18/09/2024 22:00'"]
    assert actual[4] == ["BilledCost is null"]
    assert actual[5] == ["ChargePeriodEnd is before ChargePeriodStart"]
    assert actual[6] == ["Tags is not a JSON object: '{not json'"]
    # The shifted row's 9.28 never reaches the charges.
    loaded = query(
        warehouse,
        "select _record_number from staging.stg_focus__charges"
        " where _source_file = 'focus/synthetic/faults.csv' order by 1",
    )
    assert loaded == [(7,), (8,)]


def test_a_missing_required_column_rejects_every_row_of_the_file(warehouse: Path) -> None:
    rows = query(
        warehouse,
        "select _record_number, rejection_reason from staging.stg_focus__rejected_rows"
        " where _source_file = 'focus/synthetic_missing/part-1.csv' order by 1",
    )
    assert rows == [
        (1, "required column ServiceCategory missing"),
        (2, "required column ServiceCategory missing"),
    ]


def test_ai_rows_load_with_exact_billed_cost(warehouse: Path) -> None:
    header, rows = _sample()
    ai = [
        (i, Decimal(row[header.index("BilledCost")]))
        for i, row in enumerate(rows, 1)
        if row[header.index("ServiceCategory")] == "AI and Machine Learning"
    ]
    assert len(ai) == 9
    loaded = query(
        warehouse,
        "select _record_number, billed_cost, cost_usd, is_ai_spend, service_subcategory"
        " from staging.stg_focus__charges where _source_file = 'focus/focus_sample.csv'"
        " and service_category = 'AI and Machine Learning' order by 1",
    )
    assert [(n, cost) for n, cost, *_ in loaded] == ai  # exact: e.g. 0.00000000503, -0.01288992
    assert all(is_ai and subcategory is None for *_, is_ai, subcategory in loaded)
    # cost_usd is the same dollars at DECIMAL(38,10) (rounded beyond 10 decimals).
    assert [usd for _, _, usd, *_ in loaded] == [c.quantize(Decimal("1e-10")) for _, c in ai]
    assert sum(c for _, c in ai) == Decimal("-0.15189756178")
    not_ai = query(
        warehouse,
        "select count(*) from staging.stg_focus__charges"
        " where _source_file = 'focus/focus_sample.csv' and not is_ai_spend",
    )
    assert not_ai == [(13,)]


def test_null_strings_become_nulls(warehouse: Path) -> None:
    header, rows = _sample()
    # ChargeClass is the literal NULL in every row; RegionId in the Oracle rows; the Oracle rows
    # also have '' for BillingAccountName.
    assert {row[header.index("ChargeClass")] for row in rows} == {"NULL"}
    oracle = [i for i, row in enumerate(rows, 1) if row[header.index("ProviderName")] == "Oracle"]
    assert [rows[i - 1][header.index("RegionId")] for i in oracle] == ["NULL"] * 3
    assert [rows[i - 1][header.index("BillingAccountName")] for i in oracle] == [""] * 3
    loaded = query(
        warehouse,
        "select _record_number, charge_class, region_id, billing_account_name, tags"
        " from staging.stg_focus__charges where _source_file = 'focus/focus_sample.csv' order by 1",
    )
    assert all(charge_class is None for _, charge_class, *_ in loaded)
    assert [(n, region, name) for n, _, region, name, _ in loaded if n in oracle] == [
        (n, None, None) for n in oracle
    ]
    # Row 1's Tags is NULL: a SQL null, not the JSON string "NULL".
    assert loaded[0][4] is None and rows[0][header.index("Tags")] == "NULL"


def test_timestamps_without_t_or_z_are_utc_whatever_the_session_zone(warehouse: Path) -> None:
    header, rows = _sample()
    expected = [
        (
            i,
            datetime.fromisoformat(row[header.index("ChargePeriodStart")]),
            datetime.fromisoformat(row[header.index("ChargePeriodEnd")]),
        )
        for i, row in enumerate(rows, 1)
    ]
    assert expected[0][1:] == (datetime(2024, 9, 18, 22), datetime(2024, 9, 18, 23))
    sql = (
        "select _record_number, charge_period_start_at, charge_period_end_at"
        " from staging.stg_focus__charges where _source_file = ? order by 1"
    )
    # Staging models are views: parsing happens at query time, in this session's time zone.
    with duckdb.connect(str(warehouse)) as conn:
        for zone in ("UTC", "America/New_York", "Asia/Kolkata"):
            conn.execute(f"set TimeZone = '{zone}'")
            assert conn.execute(sql, ["focus/focus_sample.csv"]).fetchall() == expected
            # T/Z and +02:00 forms (synthetic rows 7 and 8) give the same UTC instants.
            assert conn.execute(sql, ["focus/synthetic/faults.csv"]).fetchall() == [
                (7, datetime(2024, 9, 16), datetime(2024, 9, 17)),
                (8, datetime(2024, 9, 8), datetime(2024, 9, 9)),
            ]


def test_usage_date_and_tags(warehouse: Path) -> None:
    rows = query(
        warehouse,
        "select _record_number, usage_date, tag_person_email, tag_team, tag_ticket_key,"
        " tag_repository from staging.stg_focus__charges"
        " where _source_file = 'focus/synthetic/faults.csv' order by 1",
    )
    assert rows[0] == (
        7,
        datetime(2024, 9, 16).date(),
        "alice@example.com",
        "payments",
        "PAY-12",
        "acme/payments-api",
    )
    # No sample row carries a person, team, ticket or repo tag (keys: application, environment,
    # business_unit, ComputeType, CostAllocationTest, ' org', org, env, Project, CostCenter).
    tagged = query(
        warehouse,
        "select count(*) from staging.stg_focus__charges"
        " where _source_file = 'focus/focus_sample.csv'"
        " and coalesce(tag_person_email, tag_team, tag_ticket_key, tag_repository) is not null",
    )
    assert tagged == [(0,)]


def test_focus_1_2_subcategory_narrows_ai_spend(warehouse: Path) -> None:
    rows = query(
        warehouse,
        "select service_subcategory, is_ai_spend from staging.stg_focus__charges"
        " where _source_file = 'focus/synthetic_v12/part-1.csv' order by 1",
    )
    assert rows == [("Generative AI", True), ("Machine Learning", False)]


def test_newest_export_run_restates_the_billing_period(warehouse: Path) -> None:
    rows = query(
        warehouse,
        "select _source_file, billed_cost from staging.stg_focus__charges"
        " where billing_account_id = 'restated-account' order by 1",
    )
    # Run 2 (two parts) replaces run 1; part 2 was then re-delivered with 2.25 under its name.
    assert rows == [
        ("focus/restated/run-2/part-1.csv", Decimal("1.10")),
        ("focus/restated/run-2/part-2.csv", Decimal("2.25")),
    ]


@pytest.mark.parametrize("fixture", ["gzip_warehouse", "parquet_warehouse"])
def test_csv_gz_and_parquet_give_the_same_charges(
    warehouse: Path, fixture: str, request: pytest.FixtureRequest
) -> None:
    other: Path = request.getfixturevalue(fixture)
    name = (
        "focus/focus_sample.csv.gz" if fixture == "gzip_warehouse" else "focus/focus_sample.parquet"
    )
    expected = _sample_charges(warehouse, "focus/focus_sample.csv")
    assert len(expected) == 22
    assert _sample_charges(other, name) == expected
    assert query(other, "select count(*) from staging.stg_focus__rejected_rows") == [(0,)]


# ---------------------------------------------------------------------------------------------
# LiteLLM tests
# ---------------------------------------------------------------------------------------------

SPEND_LOG_COLUMNS = (
    "request_id, usage_date, started_at, ended_at, completion_started_at, request_duration_ms,"
    " call_type, status, is_cache_hit, api_key_hash, api_key_alias, user_api_key_user_id, team_id,"
    " team_alias, request_user, end_user, session_id, provider, model, model_group,"
    " uncached_input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, total_tokens,"
    " request_count, spend_raw_unit, cost_usd, request_tags, tags, ticket_key,"
    " pull_request_number, branch_name, commit_sha, repository, user_agent"
)


def _spend_logs(warehouse: Path) -> dict[str, dict[str, object]]:
    with duckdb.connect(str(warehouse)) as conn:
        cursor = conn.execute(f"select {SPEND_LOG_COLUMNS} from staging.{LITELLM_MODEL}")
        names = [d[0] for d in cursor.description]
        return {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}


def test_fixture_rows_follow_the_prisma_schema() -> None:
    fields = prisma_fields()
    assert len(fields) == 32 and fields[0] == ("request_id", "String")
    assert ("cache_hit", "String") in fields and ("request_tags", "Json") in fields
    for row in (_alice("x"), _bob_failure("y"), _tiny("z")):
        assert list(row) == [name for name, _ in fields]


def test_every_litellm_file_type_loads(warehouse: Path) -> None:
    files = query(
        warehouse,
        "select source_file, records from raw._file_log"
        " where source_table = 'litellm__spend_logs' order by 1",
    )
    assert files == [
        ("litellm/spend_logs/2025-03-04/cache_hits.ndjson", 1),
        ("litellm/spend_logs/2025-03-04/spend_logs.json", 3),  # a JSON list: one row per element
        ("litellm/spend_logs/2025-03-04/spend_logs_v2_page1.json", 1),  # a page object: one row
        ("litellm/spend_logs/export/spend_logs_2025-03-05.csv", 1),
        ("litellm/spend_logs/export/spend_logs_twins.csv.gz", 4),
    ]


def test_one_row_per_request_and_the_newest_delivery_wins(warehouse: Path) -> None:
    logs = _spend_logs(warehouse)
    assert sorted(logs) == sorted(
        [f"chatcmpl-{i}" for i in ("a1", "b2", "c3", "d4", "e5")]
        + [f"chatcmpl-{i}-csv" for i in ("a1", "b2", "d4", "e5")]
    )
    # c3 was delivered at 0.0042 in the JSON list, then restated at 0.0047 by a later CSV export.
    assert logs["chatcmpl-c3"]["cost_usd"] == Decimal("0.0047")
    source = query(
        warehouse,
        f"select _source_file from staging.{LITELLM_MODEL} where request_id = 'chatcmpl-c3'",
    )
    assert source == [("litellm/spend_logs/export/spend_logs_2025-03-05.csv",)]


def test_spend_is_exact_usd_and_tokens_map_to_the_four_counts(warehouse: Path) -> None:
    logs = _spend_logs(warehouse)
    a1, d4 = logs["chatcmpl-a1"], logs["chatcmpl-d4"]
    assert a1["cost_usd"] == Decimal(str(_alice("x")["spend"])) == Decimal("0.018327")
    assert d4["cost_usd"] == Decimal("0.000012")  # JSON 1.2e-05: exact through its text
    assert a1["spend_raw_unit"] == "dollars"
    counts = ("uncached_input_tokens", "cache_read_tokens", "cache_write_tokens", "output_tokens")
    assert tuple(a1[c] for c in counts) == (4890, 0, 0, 531)
    assert (a1["total_tokens"], a1["request_count"]) == (5421, 1)


def test_request_tags_become_links(warehouse: Path) -> None:
    logs = _spend_logs(warehouse)
    a1 = logs["chatcmpl-a1"]
    assert a1["request_tags"] == CLAUDE_CODE_TAGS
    assert (a1["ticket_key"], a1["pull_request_number"], a1["branch_name"]) == (
        "PAY-12",
        42,
        "feature/PAY-12-x",
    )
    assert (a1["commit_sha"], a1["repository"], a1["user_agent"]) == (None, None, "claude-code/1.0")
    assert a1["tags"] == sorted(set(CLAUDE_CODE_TAGS))  # metadata.tags repeats two of them
    # b2 tagged nothing; its client logged spend_logs_metadata, read as key:value tags.
    b2 = logs["chatcmpl-b2"]
    assert (b2["ticket_key"], b2["commit_sha"], b2["repository"]) == (
        "PAY-7",
        "9fceb02d0ae598e95dc970b74767f19372d61af8",
        "acme/payments-api",
    )
    # d4's tags are in metadata.tags only; `pr:owner/name#57` gives the repository too.
    d4 = logs["chatcmpl-d4"]
    assert (d4["branch_name"], d4["commit_sha"], d4["pull_request_number"], d4["repository"]) == (
        "fix/PAY-7-retry",
        "abc1234",
        57,
        "acme/payments-api",
    )


def test_people_status_cache_and_times(warehouse: Path) -> None:
    logs = _spend_logs(warehouse)
    a1, b2, e5 = logs["chatcmpl-a1"], logs["chatcmpl-b2"], logs["chatcmpl-e5"]
    assert (a1["api_key_hash"], a1["api_key_alias"]) == (ALICE_KEY, "alice-laptop")
    assert (a1["user_api_key_user_id"], a1["request_user"]) == ("alice@example.com",) * 2
    assert (a1["team_id"], a1["team_alias"], a1["provider"]) == (
        "team-payments",
        "payments",
        "anthropic",
    )
    assert (a1["status"], b2["status"]) == ("success", "failure")
    assert (a1["is_cache_hit"], b2["is_cache_hit"], e5["is_cache_hit"]) == (False, False, True)
    assert a1["started_at"] == datetime(2025, 3, 4, 10, 15, 2, 123000)
    assert a1["request_duration_ms"] == 7754
    assert b2["request_duration_ms"] == 1500  # not logged: endTime - startTime
    # d4 starts 100 ms before midnight UTC: its usage_date is the UTC day it started.
    assert logs["chatcmpl-d4"]["usage_date"] == datetime(2025, 3, 4).date()


def test_csv_export_gives_the_same_row_as_json(warehouse: Path) -> None:
    logs = _spend_logs(warehouse)
    for request_id in ("chatcmpl-a1", "chatcmpl-b2", "chatcmpl-d4", "chatcmpl-e5"):
        from_json = {k: v for k, v in logs[request_id].items() if k != "request_id"}
        from_csv = {k: v for k, v in logs[f"{request_id}-csv"].items() if k != "request_id"}
        assert from_csv == from_json, request_id


def test_prompt_text_stays_out_of_staging(warehouse: Path) -> None:
    columns = {
        name
        for (name,) in query(
            warehouse,
            "select column_name from information_schema.columns"
            f" where table_schema = 'staging' and table_name = '{LITELLM_MODEL}'",
        )
    }
    assert not columns & {
        "messages",
        "response",
        "proxy_server_request",
        "metadata",
        "requester_ip_address",
    }
    leaked = query(
        warehouse,
        f"select count(*) from staging.{LITELLM_MODEL} as t"
        " where to_json(t)::varchar like '%TEXT%'",
    )
    assert leaked == [(0,)]
    # ... while the raw layer still holds the payload exactly as delivered.
    raw = query(
        warehouse,
        "select count(*) from raw.litellm__spend_logs where payload::varchar like ?",
        [f"%{PROMPT_TEXT}%"],
    )
    assert raw[0][0] > 0
