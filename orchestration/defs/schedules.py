"""The nightly job: every ingest asset then every dbt asset, one partition (day) at a time."""

import dagster as dg

from orchestration.defs.partitions import daily

nightly_job = dg.define_asset_job(
    "nightly",
    selection=dg.AssetSelection.all(),
    partitions_def=daily,
    # One process, one DuckDB writer; also the faster executor on 2 cores (stack_notes).
    executor_def=dg.in_process_executor,
)

nightly_schedule = dg.build_schedule_from_partitioned_job(nightly_job, hour_of_day=2)
