"""Benchmark: generate an organisation, then time and measure the nightly build.

    python -m orchestration.benchmark --engineers 60 --days 90      # the demo's size
    python -m orchestration.benchmark --engineers 3000 --days 365   # scale

Prints one Markdown table row per phase (wall seconds, and the ratio to the scan floor: one
DuckDB pass over every landing file) and the peak RSS, for the README.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb


def _peak_rss_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024  # Linux reports KiB


def _landing_size(landing: Path) -> tuple[int, float]:
    files = [p for p in landing.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files) / 2**20


# The scan floor: one DuckDB pass that parses every landing file in its own format. Nothing a
# build does can be cheaper than reading its input once, so the build is stated as a ratio of it.
_SCANS = {
    "*.json": "select count(*) from read_json_objects({files}, format = 'auto')",
    "*.jsonl": "select count(*) from read_json_objects({files}, format = 'newline_delimited')",
    "*.ndjson": "select count(*) from read_json_objects({files}, format = 'newline_delimited')",
    "*.csv": "select count(*) from read_csv({files}, all_varchar = true, union_by_name = true)",
    "*.csv.gz": "select count(*) from read_csv({files}, all_varchar = true, union_by_name = true)",
    "*.parquet": "select count(*) from read_parquet({files}, union_by_name = true)",
}


def scan_floor(landing: Path) -> float:
    """Seconds for DuckDB to read and parse every landing file once."""
    started = time.perf_counter()
    with duckdb.connect() as conn:
        for pattern, sql in _SCANS.items():
            files = sorted(str(p) for p in landing.rglob(pattern) if p.is_file())
            if pattern == "*.csv":
                files = [f for f in files if not f.endswith(".csv.gz")]
            # one call per folder keeps union_by_name to files of one shape
            by_folder: dict[str, list[str]] = {}
            for f in files:
                by_folder.setdefault(str(Path(f).parent), []).append(f)
            for group in by_folder.values():
                conn.execute(sql.format(files=group))
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--engineers", type=int, default=60)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--end-date", default="2026-10-31")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)

    from orchestration.cli import run_build
    from orchestration.generate import generate

    root = Path(tempfile.mkdtemp(prefix="tokenworth-bench-"))
    landing, warehouse = root / "landing", root / "warehouse.duckdb"
    rows: list[tuple[str, float, str]] = []

    started = time.perf_counter()
    generate(landing, args.engineers, args.days, args.seed, date.fromisoformat(args.end_date))
    files, mib = _landing_size(landing)
    rows.append(("generate", time.perf_counter() - started, f"{files:,} files, {mib:,.1f} MiB"))

    floor = scan_floor(landing)
    rows.append(("scan floor (DuckDB reads every landing file once)", floor, "1.0x"))

    started = time.perf_counter()
    ok = run_build(landing, warehouse, partition=args.end_date)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        usage_rows = conn.execute("select count(*) from marts.fct_ai_usage").fetchone()
        allocations = conn.execute("select count(*) from marts.fct_usage_allocation").fetchone()
    detail = (
        f"{'ok' if ok else 'FAILED'}; {usage_rows[0] if usage_rows else 0:,} usage rows, "
        f"{allocations[0] if allocations else 0:,} allocations"
    )
    full = time.perf_counter() - started
    rows.append(("full build (ingest + dbt build)", full, f"{full / floor:,.1f}x; {detail}"))
    started = time.perf_counter()
    run_build(landing, warehouse, partition=args.end_date)
    rerun = time.perf_counter() - started
    ratio = f"{rerun / floor:,.1f}x; {rerun / full:.0%} of full"
    rows.append(("re-run with nothing new", rerun, ratio))

    print(f"\n{args.engineers} engineers x {args.days} days, peak RSS {_peak_rss_mib():,.0f} MiB")
    print("| phase | seconds | notes |\n|---|---|---|")
    for phase, seconds, notes in rows:
        print(f"| {phase} | {seconds:,.1f} | {notes} |")
    if args.keep:
        print(f"kept {root}")
    else:
        shutil.rmtree(root, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
