"""Benchmark: generate an organisation, then time and measure the nightly build.

    python -m orchestration.benchmark --engineers 60 --days 90      # the demo's size
    python -m orchestration.benchmark --engineers 3000 --days 365   # scale

Prints one Markdown table row per phase (wall seconds, peak RSS) for the README.
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

    started = time.perf_counter()
    ok = run_build(landing, warehouse, partition=args.end_date)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        usage_rows = conn.execute("select count(*) from marts.fct_ai_usage").fetchone()
        allocations = conn.execute("select count(*) from marts.fct_usage_allocation").fetchone()
    detail = (
        f"{'ok' if ok else 'FAILED'}; {usage_rows[0] if usage_rows else 0:,} usage rows, "
        f"{allocations[0] if allocations else 0:,} allocations"
    )
    rows.append(("build (ingest + dbt build)", time.perf_counter() - started, detail))
    rows.append(("second build (nothing new)", 0.0, ""))
    started = time.perf_counter()
    run_build(landing, warehouse, partition=args.end_date)
    rows[-1] = ("second build (nothing new)", time.perf_counter() - started, "idempotent re-run")

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
