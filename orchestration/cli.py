"""`tokenworth demo | generate | extract | build` (DESIGN.md, command line)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from orchestration.lib.settings import landing_dir, warehouse_path


def _yesterday() -> date:
    return datetime.now(UTC).date() - timedelta(days=1)


def cmd_generate(args: argparse.Namespace) -> int:
    from orchestration.generate import generate

    started = time.perf_counter()
    truth = generate(
        Path(args.out),
        engineers=args.engineers,
        days=args.days,
        seed=args.seed,
        end_date=date.fromisoformat(args.end_date) if args.end_date else None,
    )
    params = truth.get("params", {})
    print(
        f"generated {params.get('engineers', args.engineers)} engineers over "
        f"{params.get('days', args.days)} days into {Path(args.out).resolve()} "
        f"in {time.perf_counter() - started:.1f}s (planted facts: ground_truth.json)"
    )
    return 0


def run_build(
    landing: Path, warehouse: Path, partition: str | None = None, log_level: str = "WARNING"
) -> bool:
    """Run the nightly job in-process: the same asset graph the Dagster schedule runs."""
    os.environ["TOKENWORTH_LANDING_DIR"] = str(landing.resolve())
    os.environ["TOKENWORTH_WAREHOUSE"] = str(warehouse.resolve())
    warehouse.parent.mkdir(parents=True, exist_ok=True)

    from orchestration.lib.dbt import ensure_manifest

    ensure_manifest(force=True)  # models may have changed since the last parse

    import dagster as dg

    from orchestration.definitions import defs

    job = defs.resolve_job_def("nightly")
    instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else None
    result = job.execute_in_process(
        partition_key=partition or _yesterday().isoformat(),
        instance=instance or dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
        run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
    )
    return result.success


def cmd_build(args: argparse.Namespace) -> int:
    landing = Path(args.landing) if args.landing else landing_dir()
    warehouse = Path(args.warehouse) if args.warehouse else warehouse_path()
    started = time.perf_counter()
    ok = run_build(landing, warehouse, args.partition, "INFO" if args.verbose else "WARNING")
    print(f"build {'succeeded' if ok else 'FAILED'} in {time.perf_counter() - started:.1f}s")
    print(f"warehouse: {warehouse.resolve()} (marts in schema `marts`)")
    return 0 if ok else 1


def cmd_extract(args: argparse.Namespace) -> int:
    from orchestration.extract.batch import extract
    from orchestration.extract.endpoints import select

    landing = Path(args.landing) if args.landing else landing_dir()
    try:
        since = date.fromisoformat(args.since) if args.since else None
        select(args.source)
    except ValueError as exc:
        print(f"tokenworth extract: {exc}", file=sys.stderr)
        return 2
    results = extract(landing.resolve(), warehouse_path(), args.source, since)
    failed = [r.endpoint for r in results if r.status == "failed"]
    pages = sum(r.pages for r in results)
    print(
        f"extracted {pages} pages into {landing.resolve()}"
        + (f"; FAILED: {', '.join(failed)}" if failed else "")
    )
    return 1 if failed else 0


def cmd_demo(args: argparse.Namespace) -> int:
    landing = Path(args.landing) if args.landing else landing_dir()
    warehouse = Path(args.warehouse) if args.warehouse else warehouse_path()
    gen_args = argparse.Namespace(
        out=str(landing), engineers=args.engineers, days=args.days, seed=args.seed, end_date=None
    )
    cmd_generate(gen_args)
    # The demo's landing folder is synthetic: no real API page may be pulled into it.
    os.environ["TOKENWORTH_EXTRACT"] = "off"
    started = time.perf_counter()
    ok = run_build(landing, warehouse)
    elapsed = time.perf_counter() - started
    from orchestration.lib.summary import describe_warehouse

    print(describe_warehouse(warehouse))
    print(f"\nbuild {'succeeded' if ok else 'FAILED'} in {elapsed:.1f}s")
    db = warehouse.resolve()
    print(f"warehouse: {db} (schemas marts, staging, raw)")
    print(
        '  query: .venv/bin/python -c "import duckdb; '
        f"duckdb.connect('{db}', read_only=True).sql('from marts.mart_team_weekly').show()\""
    )
    print(
        f"  UI:    TOKENWORTH_WAREHOUSE={db} TOKENWORTH_LANDING_DIR={landing.resolve()} make dev"
        "   # then open http://localhost:3000"
    )
    return 0 if ok else 1


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="tokenworth", description=__doc__)
    sub = root.add_subparsers(dest="command", required=True)

    gen = sub.add_parser("generate", help="write a synthetic organisation's vendor files")
    gen.add_argument("--out", required=True, help="landing folder to write into")
    gen.add_argument("--engineers", type=int, default=60)
    gen.add_argument("--days", type=int, default=90)
    gen.add_argument("--seed", type=int, default=7)
    gen.add_argument("--end-date", help="last day generated (YYYY-MM-DD); default yesterday UTC")
    gen.set_defaults(func=cmd_generate)

    from orchestration.extract.endpoints import AUTH, ENDPOINTS

    ext = sub.add_parser(
        "extract",
        help="pull vendor API pages into the landing folders, unchanged",
        description="Credentials, scopes and base URLs come from environment variables (README); "
        "a source without them is skipped with one line. The cursor of each endpoint is kept "
        "in $TOKENWORTH_WAREHOUSE.",
    )
    ext.add_argument(
        "--source",
        action="append",
        metavar="NAME",
        help="a source ("
        + ", ".join(AUTH)
        + ") or one endpoint ("
        + ", ".join(e.name for e in ENDPOINTS[:2])
        + ", ...); repeat for more; default all",
    )
    ext.add_argument("--landing", help="landing folder (default $TOKENWORTH_LANDING_DIR)")
    ext.add_argument(
        "--since",
        help="first UTC day to pull (YYYY-MM-DD); default: the stored cursor less "
        "$TOKENWORTH_RESTATEMENT_LOOKBACK_DAYS (35) for usage and cost, the cursor for the rest",
    )
    ext.set_defaults(func=cmd_extract)

    build = sub.add_parser("build", help="the nightly job: load landing files, run dbt")
    build.add_argument("--landing", help="landing folder (default $TOKENWORTH_LANDING_DIR)")
    build.add_argument("--warehouse", help="DuckDB file (default $TOKENWORTH_WAREHOUSE)")
    build.add_argument("--partition", help="day to record as the run's partition (YYYY-MM-DD)")
    build.add_argument("--verbose", action="store_true", help="stream Dagster and dbt logs")
    build.set_defaults(func=cmd_build)

    demo = sub.add_parser("demo", help="generate a synthetic organisation and build it")
    demo.add_argument("--landing", help="landing folder (default $TOKENWORTH_LANDING_DIR)")
    demo.add_argument("--warehouse", help="DuckDB file (default $TOKENWORTH_WAREHOUSE)")
    demo.add_argument("--engineers", type=int, default=60)
    demo.add_argument("--days", type=int, default=90)
    demo.add_argument("--seed", type=int, default=7)
    demo.set_defaults(func=cmd_demo)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
