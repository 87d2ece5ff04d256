"""The tokenworth code location: extract + ingest + dbt in one lineage graph, a nightly schedule."""

import dagster as dg

from orchestration.defs.extract import extract_assets, extract_resources
from orchestration.defs.freshness import freshness_checks, freshness_sensor
from orchestration.defs.ingest import ingest_assets
from orchestration.defs.publish import published_marts
from orchestration.defs.schedules import landing_files_sensor, nightly_job, nightly_schedule
from orchestration.defs.transform import dbt_resource, tokenworth_dbt_assets

defs = dg.Definitions(
    assets=[*extract_assets, *ingest_assets, tokenworth_dbt_assets, published_marts],
    asset_checks=freshness_checks,
    jobs=[nightly_job],
    schedules=[nightly_schedule],
    sensors=[landing_files_sensor, freshness_sensor],
    resources={"dbt": dbt_resource, **extract_resources()},
)
