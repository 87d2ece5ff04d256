"""One daily partitioning for the whole graph: a backfill of days runs ingest and dbt together."""

import dagster as dg

daily = dg.DailyPartitionsDefinition(start_date="2025-01-01", timezone="UTC")

# DuckDB has one writer: every asset that writes the warehouse shares this pool (limit 1).
DUCKDB_POOL = "duckdb_writer"
