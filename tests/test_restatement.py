"""Later extracts restate earlier buckets: the newest delivery of a bucket wins in staging,
and re-loading the same files changes nothing."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from tests.helpers import EXAMPLES, dbt, load, query, write_org


def _page(tokens: int) -> str:
    page = json.loads((EXAMPLES / "openai_usage_completions.json").read_text())
    result = page["data"][0]["results"][0]
    result.update(
        input_tokens=tokens,
        input_cached_tokens=0,
        input_cache_write_tokens=0,
        input_uncached_tokens=tokens,
        model="gpt-5.4-mini",
    )
    return json.dumps(page)


def test_newest_delivery_of_a_bucket_wins(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    folder = landing / "openai" / "usage_completions"
    folder.mkdir(parents=True)
    write_org(landing)
    first, second = folder / "2024-11-01_extract_a.json", folder / "2024-11-01_extract_b.json"
    first.write_text(_page(1000))
    second.write_text(_page(1234))  # the later extract restates the same day
    now = time.time()
    os.utime(first, (now - 3600, now - 3600))
    os.utime(second, (now, now))
    warehouse = tmp_path / "w.duckdb"
    load(landing, warehouse)
    load(landing, warehouse)  # idempotent: nothing new the second time
    dbt(warehouse, "run", "--select", "stg_openai__completion_usage")
    assert query(warehouse, "select count(*) from raw.openai__usage_completions") == [(2,)]
    rows = query(
        warehouse,
        "select uncached_input_tokens, _source_file from staging.stg_openai__completion_usage",
    )
    assert rows == [(1234, "openai/usage_completions/2024-11-01_extract_b.json")]
