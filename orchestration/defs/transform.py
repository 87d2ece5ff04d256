"""Transform: every dbt model, seed and test as Dagster assets and asset checks.

Groups come from folder-level `meta.dagster.group` in dbt_project.yml; singular tests that read
several models name the asset they guard in `meta.dagster.ref`; the translator only adds a
description to every check.
"""

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets
from dagster_dbt.dbt_project import using_dagster_dev

from orchestration.defs.partitions import DUCKDB_POOL, daily
from orchestration.lib.check_descriptions import DescribedChecksTranslator
from orchestration.lib.dbt import DBT_EXECUTABLE, build_args, dbt_project, ensure_manifest

# Not dbt_project.prepare_if_dev(): it runs `dbt` from PATH, which `make dev` does not set up.
# Under `dagster dev` the manifest is re-parsed on every (re)load, with the venv's own dbt.
ensure_manifest(force=using_dagster_dev())

dbt_resource = DbtCliResource(project_dir=dbt_project, dbt_executable=str(DBT_EXECUTABLE))


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=DescribedChecksTranslator(),
    partitions_def=daily,
    # A backfill of many days is one dbt build over the whole window, not one per day.
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool=DUCKDB_POOL,
)
def tokenworth_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource):  # type: ignore[no-untyped-def]
    # The partition window's end is exclusive, as the dbt vars expect.
    window = context.partition_time_window if context.has_partition_key_range else None
    start = window.start.date().isoformat() if window else None
    end = window.end.date().isoformat() if window else None
    yield from dbt.cli(build_args(start, end), context=context).stream()
