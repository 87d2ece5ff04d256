"""Session-wide test settings: tests never touch the demo's Dagster instance."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
_STARTED = time.time()

# Builds in tests never pull from real vendor APIs, whatever credentials the shell holds; the
# extraction tests talk to a local replay and switch extraction on where they need it.
os.environ["TOKENWORTH_EXTRACT"] = "off"


@pytest.fixture(scope="session", autouse=True)
def dagster_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh DAGSTER_HOME (with the project's instance settings) for the whole session."""
    home = tmp_path_factory.mktemp("dagster_home")
    shutil.copy(REPO / "orchestration" / "dagster.yaml", home / "dagster.yaml")
    old = os.environ.get("DAGSTER_HOME")
    os.environ["DAGSTER_HOME"] = str(home)
    yield home
    if old is None:
        os.environ.pop("DAGSTER_HOME", None)
    else:
        os.environ["DAGSTER_HOME"] = old


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Point at the browser test's screenshots (kept as test artefacts), pass or fail."""
    folder = REPO / ".ci_tmp" / "ui_screenshots"
    shots = (
        [s for s in folder.glob("*.png") if s.stat().st_mtime >= _STARTED]
        if folder.is_dir()
        else []
    )
    if shots:
        terminalreporter.write_sep("-", f"UI screenshots ({len(shots)}): {folder}")
