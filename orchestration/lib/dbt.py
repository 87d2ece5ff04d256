"""The dbt project as Dagster sees it, and the one function that builds dbt's arguments."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from dagster_dbt import DbtProject

from orchestration.lib.settings import DBT_PROJECT_DIR

# Trap: DbtCliResource looks for `dbt` on PATH; use the interpreter's own venv instead.
DBT_EXECUTABLE = Path(sys.executable).parent / "dbt"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def ensure_manifest(force: bool = False) -> Path:
    """`dbt parse` when the manifest is missing (or when asked): outside `dagster dev`,
    DbtProject.prepare_if_dev() does nothing, so CI, tests and the CLI parse here."""
    if force or not dbt_project.manifest_path.exists():
        subprocess.run(
            [str(DBT_EXECUTABLE), "parse", "--quiet"],
            cwd=DBT_PROJECT_DIR,
            check=True,
            env=None,
        )
    return dbt_project.manifest_path


def build_args(start_date: str | None = None, end_date: str | None = None) -> list[str]:
    """Arguments for the nightly `dbt build`. Pure, so it is unit-tested.

    The date window (inclusive start, exclusive end) is passed as vars for incremental models;
    full-table models ignore it.
    """
    args = ["build"]
    window = {k: v for k, v in (("start_date", start_date), ("end_date", end_date)) if v}
    if window:
        args += ["--vars", json.dumps(window, sort_keys=True)]
    return args
