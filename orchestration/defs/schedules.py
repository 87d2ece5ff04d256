"""The nightly job: every ingest asset then every dbt asset, one partition (day) at a time."""

import dagster as dg

nightly_job = dg.define_asset_job(
    "nightly",
    selection=dg.AssetSelection.all(),
    # One process, one DuckDB writer; also the faster executor on 2 cores (stack_notes).
    executor_def=dg.in_process_executor,
)

nightly_schedule = dg.build_schedule_from_partitioned_job(nightly_job, hour_of_day=2)
