"""Where things live. Every path can be overridden by the environment variables DESIGN.md names."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = REPO_ROOT
RAW_SCHEMA = "raw"


def landing_dir() -> Path:
    return Path(os.environ.get("TOKENWORTH_LANDING_DIR", "data/landing")).resolve()


def warehouse_path() -> Path:
    return Path(os.environ.get("TOKENWORTH_WAREHOUSE", "data/warehouse.duckdb")).resolve()
