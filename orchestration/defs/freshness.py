"""dbt source freshness as Dagster freshness checks on the ingest assets.

Each dbt source's `config.freshness` (warn_after / error_after on `loaded_at_field`) becomes a
last-update freshness check on the ingest asset that loads it. Ingest reports the newest
`_loaded_at` as `dagster/last_updated_timestamp`, so the check measures when data last arrived,
as `dbt source freshness` does, not when the job last ran. The nightly job runs the checks after
ingest; the freshness sensor re-runs them between nights, so a night that never ran still shows.

Dagster marks these factories superseded by `FreshnessPolicy`, but a policy reads the time of the
last materialization, and ingest materializes every night even when no file arrived; only a
check can read `dagster/last_updated_timestamp`, which is what dbt's source freshness means.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import dagster as dg

from orchestration.lib.check_descriptions import DescribedChecksTranslator
from orchestration.lib.dbt import ensure_manifest

_PERIODS = {"minute": "minutes", "hour": "hours", "day": "days"}


def _window(rule: Mapping[str, Any] | None) -> timedelta | None:
    if not rule or not rule.get("count") or rule.get("period") not in _PERIODS:
        return None
    return timedelta(**{_PERIODS[rule["period"]]: int(rule["count"])})


def freshness_rules(
    manifest: Mapping[str, Any],
) -> dict[dg.AssetKey, tuple[timedelta, dg.AssetCheckSeverity]]:
    """Per source asset: the allowed age of its newest load and the check's severity.

    dbt warns after `warn_after` and errors after `error_after`; a Dagster check has one
    severity, so the earlier rule is the check (warn_after as WARN when set, else error_after as
    ERROR). Pure, so it is unit-tested.
    """
    translator = DescribedChecksTranslator()
    rules = {}
    for source in manifest["sources"].values():
        config = source.get("config") or {}
        freshness = config.get("freshness") or source.get("freshness") or {}
        warn, error = _window(freshness.get("warn_after")), _window(freshness.get("error_after"))
        if warn:
            rule = (warn, dg.AssetCheckSeverity.WARN)
        elif error:
            rule = (error, dg.AssetCheckSeverity.ERROR)
        else:
            continue
        rules[translator.get_asset_key(source)] = rule
    return rules


def build_freshness_checks(manifest: Mapping[str, Any]) -> Sequence[dg.AssetChecksDefinition]:
    by_rule: dict[tuple[timedelta, dg.AssetCheckSeverity], list[dg.AssetKey]] = {}
    for key, rule in freshness_rules(manifest).items():
        by_rule.setdefault(rule, []).append(key)
    checks: list[dg.AssetChecksDefinition] = []
    for (window, severity), keys in sorted(by_rule.items(), key=lambda item: str(item[0])):
        with _superseded_knowingly():
            checks += dg.build_last_update_freshness_checks(
                assets=sorted(keys, key=lambda key: key.to_user_string()),
                lower_bound_delta=window,
                severity=severity,
            )
    return checks


@contextmanager
def _superseded_knowingly() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=dg.SupersessionWarning)
        yield


freshness_checks = build_freshness_checks(json.loads(ensure_manifest().read_text()))

with _superseded_knowingly():
    freshness_sensor = dg.build_sensor_for_freshness_checks(
        freshness_checks=freshness_checks,
        name="source_freshness_sensor",
        # On by default: it runs a check only when it could have gone stale since its last result.
        default_status=dg.DefaultSensorStatus.RUNNING,
    )
