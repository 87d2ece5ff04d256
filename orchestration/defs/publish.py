"""Publish: every mart as a Parquet file beside the warehouse.

DuckDB has one writer and a read-write connection locks out every reader, so BI tools and
notebooks read these files instead of the live DuckDB file while the nightly job runs.
"""

import dagster as dg
import duckdb

from orchestration.defs.partitions import DUCKDB_POOL, daily
from orchestration.defs.transform import tokenworth_dbt_assets
from orchestration.lib.settings import warehouse_path

# The marts are the dbt assets in schema `marts` (dagster-dbt keys them [schema, model]).
MART_KEYS = sorted(
    (key for key in tokenworth_dbt_assets.keys if key.path[0] == "marts"),
    key=lambda key: key.path[-1],
)


@dg.asset(
    key=["published", "marts_parquet"],
    deps=MART_KEYS,
    group_name="publish",
    partitions_def=daily,
    backfill_policy=dg.BackfillPolicy.single_run(),
    kinds={"duckdb", "parquet"},
    pool=DUCKDB_POOL,
    description="Every mart written to <warehouse dir>/marts/<mart>.parquet for readers.",
)
def published_marts(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    warehouse = warehouse_path()
    folder = warehouse.parent / "marts"
    folder.mkdir(parents=True, exist_ok=True)
    rows = {}
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        for key in MART_KEYS:
            name = key.path[-1]
            target = folder / f"{name}.parquet"
            conn.execute(f"copy (select * from marts.{name}) to '{target}' (format parquet)")
            rows[name] = conn.execute(f"select count(*) from marts.{name}").fetchone()[0]
    context.log.info(f"published {len(rows)} marts to {folder}")
    return dg.MaterializeResult(metadata={"folder": str(folder), **rows})
