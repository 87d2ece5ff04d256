"""Ingest: one asset per landing folder, all made by one factory.

Each asset's key is the raw table it loads (`raw/<source>__<table>`, LandingSource.asset_key),
which the matching dbt source names as its `meta.dagster.asset_key`, so the lineage graph runs
from landing folder to mart without a custom translator. Each source is its own group.
"""

import dagster as dg
import duckdb

from orchestration.defs.partitions import DUCKDB_POOL, daily
from orchestration.extract.endpoints import extract_keys_upstream_of
from orchestration.lib.landing import LANDING_SOURCES, LandingSource
from orchestration.lib.loader import load_source
from orchestration.lib.settings import RAW_SCHEMA, landing_dir, warehouse_path

QUARANTINE_CHECK = "no_quarantined_files"
QUARANTINE_CHECK_DESCRIPTION = (
    "Every file in the landing folder parsed. A failure (a warning: the rest still loads) names "
    "the files that did not; each sits in raw._quarantine with its error until a fixed file "
    "replaces it."
)


def _newest_load_timestamp(conn: duckdb.DuckDBPyConnection, raw_table: str) -> float | None:
    """When data last arrived (the dbt source's `loaded_at_field`), in epoch seconds: the
    freshness check compares this, not the run time, so a night with no new files ages it."""
    row = conn.execute(f"select epoch(max(_loaded_at)) from {RAW_SCHEMA}.{raw_table}").fetchone()
    return float(row[0]) if row and row[0] is not None else None


def build_ingest_asset(spec: LandingSource) -> dg.AssetsDefinition:
    key = dg.AssetKey(spec.asset_key)

    @dg.asset(
        key=key,
        description=f"{spec.description} Loaded as delivered into raw.{spec.raw_table}.",
        group_name=f"ingest_{spec.source}",
        # API -> landing -> raw: the extract asset that fills this folder runs first.
        deps=[dg.AssetKey(k) for k in extract_keys_upstream_of(spec)],
        kinds={"duckdb", "python"},
        partitions_def=daily,
        # Loading is idempotent and reads the whole folder, so a range of days is one run.
        backfill_policy=dg.BackfillPolicy.single_run(),
        pool=DUCKDB_POOL,
        metadata={"landing_patterns": list(spec.patterns), "raw_table": f"raw.{spec.raw_table}"},
        check_specs=[
            dg.AssetCheckSpec(QUARANTINE_CHECK, asset=key, description=QUARANTINE_CHECK_DESCRIPTION)
        ],
    )
    def _ingest(context: dg.AssetExecutionContext):  # type: ignore[no-untyped-def]
        warehouse = warehouse_path()
        warehouse.parent.mkdir(parents=True, exist_ok=True)
        partition = context.partition_key if context.has_partition_key else None
        with duckdb.connect(str(warehouse)) as conn:
            result = load_source(conn, spec, landing_dir(), partition)
            newest_load = _newest_load_timestamp(conn, spec.raw_table)
        for file, error in result.quarantined.items():
            context.log.warning(f"quarantined {file}: {error}")
        yield dg.MaterializeResult(
            asset_key=key,
            metadata={
                "files_seen": result.files_seen,
                "files_loaded": result.files_loaded,
                "records_loaded": result.records_loaded,
                "duplicate_files": len(result.duplicates),
                "quarantined_files": len(result.quarantined),
                **(
                    {"dagster/last_updated_timestamp": dg.MetadataValue.timestamp(newest_load)}
                    if newest_load is not None
                    else {}
                ),
            },
        )
        yield dg.AssetCheckResult(
            asset_key=key,
            check_name=QUARANTINE_CHECK,
            passed=not result.quarantined,
            severity=dg.AssetCheckSeverity.WARN,
            description="Files that failed to parse this run; see raw._quarantine.",
            metadata={"files": ", ".join(sorted(result.quarantined)) or "none"},
        )

    return _ingest


ingest_assets = [build_ingest_asset(spec) for spec in LANDING_SOURCES]
