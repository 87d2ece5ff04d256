"""Extract a set of endpoints in one go (`tokenworth extract`): each source's configuration
from the environment, one warehouse connection for the state table, one line per source that
is skipped, and every endpoint's result, failed ones included; a failure stops only its own
endpoint (and the endpoints that wait on it)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import duckdb

from orchestration.extract.endpoints import AUTH, select
from orchestration.extract.http import RetryPolicy
from orchestration.extract.runner import EndpointResult, run_endpoint
from orchestration.extract.sources import config_from_env, lookback_days_from_env


def extract(
    landing: Path,
    warehouse: Path,
    names: list[str] | None = None,
    since: date | None = None,
    *,
    now: datetime | None = None,
    policy: RetryPolicy | None = None,
    log: Callable[[str], None] = print,
) -> list[EndpointResult]:
    endpoints = select(names)
    lookback = lookback_days_from_env()
    results: list[EndpointResult] = []
    failed: set[str] = set()
    announced: set[str] = set()
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(warehouse)) as conn:
        for endpoint in endpoints:
            config = config_from_env(endpoint.source)
            if not config.is_configured:
                if endpoint.source not in announced:
                    log(f"{endpoint.source}: {config.skip_reason()}")
                    announced.add(endpoint.source)
                results.append(
                    EndpointResult(endpoint.name, endpoint.source, "skipped", config.skip_reason())
                )
                continue
            if failed & set(endpoint.after):
                result = EndpointResult(
                    endpoint.name,
                    endpoint.source,
                    "failed",
                    f"not run: {', '.join(endpoint.after)} failed",
                )
            else:
                result = run_endpoint(
                    endpoint,
                    config,
                    landing,
                    conn,
                    AUTH[endpoint.source],
                    since=since,
                    lookback_days=lookback,
                    now=now,
                    policy=policy,
                    log=log,
                )
            if result.status == "failed":
                failed.add(endpoint.name)
            log(f"{endpoint.name}: {result.status}: {result.message}")
            results.append(result)
    return results
