"""`tokenworth demo | generate | extract | build`: the command line of the nightly warehouse."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from contextlib import nullcontext
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
    from orchestration.lib.progress import outline_only, progress_logger

    job = defs.resolve_job_def("nightly")
    # The console logger stays at `log_level`; the progress logger prints one line per step.
    job = job.with_logger_defs({**job.loggers, "progress": progress_logger})
    instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else None
    # Unless verbose, the console shows warnings only and stdout only the progress outline.
    quiet = logging.getLevelName(log_level) > logging.INFO
    with outline_only() if quiet else nullcontext():
        result = job.execute_in_process(
            partition_key=partition or _yesterday().isoformat(),
            instance=instance or dg.DagsterInstance.ephemeral(),
            raise_on_error=False,
            run_config={
                "loggers": {"console": {"config": {"log_level": log_level}}, "progress": {}}
            },
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
    ok = run_build(landing, warehouse, log_level="INFO" if args.verbose else "WARNING")
    elapsed = time.perf_counter() - started
    from orchestration.lib.summary import describe_warehouse

    print(describe_warehouse(warehouse))
    print(f"\nbuild {'succeeded' if ok else 'FAILED'} in {elapsed:.1f}s")
    db = warehouse.resolve()
    print(f"warehouse: {db} (schemas marts, staging, raw)")
    parquet = db.parent / "marts"
    if parquet.is_dir():
        print(f"parquet:   {parquet}/<mart>.parquet (what BI tools and notebooks should read)")
    print(
        '  query: .venv/bin/python -c "import duckdb; '
        f"duckdb.connect('{db}', read_only=True).sql('from marts.mart_team_weekly').show()\""
    )
    print(
        f"  UI:    TOKENWORTH_WAREHOUSE={db} TOKENWORTH_LANDING_DIR={landing.resolve()} make dev"
        "   # then open http://localhost:3000"
    )
    return 0 if ok else 1


DESCRIPTION = """\
What is our AI token spend worth? tokenworth loads AI billing and usage exports (Anthropic,
OpenAI, Claude Code, GitHub Copilot, Cursor, LiteLLM, FOCUS cloud bills) and GitHub/Jira data
from a landing folder into DuckDB, and dbt builds marts that tie spend to merged pull requests,
rework, escaped defects and cycle time.
"""

EPILOG = """\
environment:
  TOKENWORTH_LANDING_DIR  landing folder, vendor files as delivered (default data/landing)
  TOKENWORTH_WAREHOUSE    the DuckDB warehouse file (default data/warehouse.duckdb)
  DAGSTER_HOME            Dagster instance folder; when set, builds are recorded there and show
                          in the UI (`make dev`, http://localhost:3000)

The landing folders (anthropic/usage_report_messages/, openai/costs/, github/<owner>/<repo>/pulls/,
org/people.csv, ...) are listed in the README. The marts are in schema `marts` of the warehouse
and, for readers, as Parquet files in <warehouse folder>/marts/.
"""


def _add_org_size(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--engineers",
        type=int,
        default=60,
        metavar="N",
        help="people in the synthetic organisation, at least 13 (default %(default)s)",
    )
    command.add_argument(
        "--days",
        type=int,
        default=90,
        metavar="N",
        help="days of history to generate (default %(default)s)",
    )
    command.add_argument(
        "--seed",
        type=int,
        default=7,
        metavar="K",
        help="random seed; the same seed and size give the same files (default %(default)s)",
    )


def _add_locations(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--landing",
        metavar="DIR",
        help="landing folder of vendor files (default $TOKENWORTH_LANDING_DIR or data/landing)",
    )
    command.add_argument(
        "--warehouse",
        metavar="FILE",
        help="DuckDB warehouse file (default $TOKENWORTH_WAREHOUSE or data/warehouse.duckdb)",
    )
    command.add_argument(
        "--verbose",
        action="store_true",
        help="stream Dagster's and dbt's full logs instead of one line per step",
    )


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="tokenworth",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = root.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser(
        "demo",
        help="generate a synthetic organisation into the landing folder and build it",
        description="Generate a synthetic organisation (every vendor format) into the landing "
        "folder, run the nightly job on it, and print the marts, a team view, and where to "
        "find the warehouse, the Parquet files and the UI.",
    )
    _add_locations(demo)
    _add_org_size(demo)
    demo.set_defaults(func=cmd_demo)

    gen = sub.add_parser(
        "generate",
        help="write a synthetic organisation's vendor files (and ground_truth.json)",
        description="Write a synthetic organisation's files in each vendor's own format, plus "
        "ground_truth.json, the facts that were planted (tests check the marts recover them). "
        "With a fixed --end-date, a later end date into the same folder adds one night's "
        "deliveries.",
    )
    gen.add_argument("--out", required=True, metavar="DIR", help="landing folder to write into")
    _add_org_size(gen)
    gen.add_argument(
        "--end-date",
        metavar="YYYY-MM-DD",
        help="last day generated (default yesterday, UTC)",
    )
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

    build = sub.add_parser(
        "build",
        help="the nightly job: load new landing files into raw, dbt build, publish the marts",
        description="Run the nightly job in-process, the same asset graph the Dagster schedule "
        "runs: every landing folder is loaded into raw (new files only; a file that does not "
        "parse is quarantined and the rest goes on), dbt builds and tests every model, and the "
        "marts are published as Parquet. Prints one line per source as it loads.",
    )
    _add_locations(build)
    build.add_argument(
        "--partition",
        metavar="YYYY-MM-DD",
        help="day the run is recorded for in Dagster (default yesterday, UTC)",
    )
    build.set_defaults(func=cmd_build)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
