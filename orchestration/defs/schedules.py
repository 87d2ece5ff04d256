"""The nightly job, its schedule, and a sensor that runs it when new files land.

The schedule is on by default: a nightly warehouse should refresh nightly wherever a Dagster
daemon runs (`make dev` starts one). The landing sensor is off by default (turn it on in the UI
under Automation, or `dagster sensor start landing_files_sensor`): it suits folders that a
vendor export fills during the day, and it rebuilds on every change it sees.
"""

import dagster as dg

from orchestration.defs.partitions import daily
from orchestration.lib.landing import landing_fingerprint
from orchestration.lib.settings import landing_dir

nightly_job = dg.define_asset_job(
    "nightly",
    selection=dg.AssetSelection.all(),
    # One process, one DuckDB writer; also the faster executor on 2 cores (stack_notes).
    executor_def=dg.in_process_executor,
    description="Load every landing folder into raw, dbt build (models, seeds, tests), publish.",
)

nightly_schedule = dg.build_schedule_from_partitioned_job(
    nightly_job,
    hour_of_day=2,
    description="Every night at 02:00 UTC: the nightly job for the day that just ended.",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)


@dg.sensor(
    job=nightly_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description=(
        "Runs the nightly job when the landing folder's files change (a file added, replaced "
        "or removed since the run it last requested). Off by default."
    ),
)
def landing_files_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult:
    fingerprint = landing_fingerprint(landing_dir())
    if fingerprint is None or fingerprint == context.cursor:
        return dg.SensorResult(skip_reason="no new files in the landing folder")
    partition = daily.get_last_partition_key()
    # The run key is the folder's state, so one state never launches twice.
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=fingerprint, partition_key=partition)],
        cursor=fingerprint,
    )
