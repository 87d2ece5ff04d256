"""One daily partitioning for the whole graph: a backfill of days runs ingest and dbt together."""

import warnings

import dagster as dg

# `backfill_policy` is a beta parameter, used knowingly (a backfill of days is one run). Dagster
# resets Python's warning registry as it builds each asset, so the same warning printed once per
# asset (20 blocks on `make demo`); even "once" cannot dedupe it. Only this warning is silenced.
warnings.filterwarnings("ignore", message="Parameter `backfill_policy`", category=dg.BetaWarning)

daily = dg.DailyPartitionsDefinition(start_date="2025-01-01", timezone="UTC")

# DuckDB has one writer: every asset that writes the warehouse shares this pool (limit 1).
DUCKDB_POOL = "duckdb_writer"
