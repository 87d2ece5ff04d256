"""The docs in docs/ keep up with the code: every landing folder (orchestration/lib/landing.py),
every mart (dbt_project/models/marts/) and every dbt var (dbt_project.yml) is mentioned, and
every relative link in docs/ and README.md resolves. Reads files only (no build, no parse)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from orchestration.lib.landing import LANDING_SOURCES

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
PAGES = ("README.md", "landing_contract.md", "org_files.md", "metrics.md", "operations.md")
# Pages another change writes (issue 9: waste, budgets, agents); a link to one may be ahead of it.
COMING = {DOCS / "metrics_worth.md"}

LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
CODE = re.compile(r"`([^`]+)`")


def _text(*names: str) -> str:
    return "\n".join((DOCS / name).read_text() for name in names)


def _all_docs() -> str:
    return "\n".join(page.read_text() for page in sorted(DOCS.glob("*.md")))


def folder_of(pattern: str) -> str:
    """The landing folder a glob pattern reads, with one `*` per positional part:
    `github/*/*/pulls/*/commits/*.json` -> `github/*/*/pulls/*/commits/`,
    `anthropic/cost_report/**/*.json` -> `anthropic/cost_report/`, `org/people.csv` -> `org/`."""
    parts = [part for part in pattern.split("/")[:-1] if part != "**"]
    return "".join(f"{part}/" for part in parts)


def documented_folders(text: str) -> set[str]:
    """Every `code` span that looks like a path, with `<placeholder>` parts read as `*`."""
    return {re.sub(r"<[^>/]+>", "*", span) for span in CODE.findall(text) if "/" in span}


def test_folder_of_reads_the_glob_shapes_landing_py_uses() -> None:
    assert folder_of("github/*/*/pulls/*/commits/*.json") == "github/*/*/pulls/*/commits/"
    assert folder_of("anthropic/cost_report/**/*.json") == "anthropic/cost_report/"
    assert folder_of("focus/**/*.parquet") == "focus/"
    assert folder_of("org/people.csv") == "org/"
    assert documented_folders("see `github/<owner>/<repo>/pulls/` and `x`") == {"github/*/*/pulls/"}


def test_every_page_exists() -> None:
    missing = [name for name in PAGES if not (DOCS / name).is_file()]
    assert not missing


def test_the_landing_contract_lists_every_landing_folder() -> None:
    listed = documented_folders(_text("landing_contract.md"))
    missing = {
        f"{spec.source}.{spec.table}: {folder_of(pattern)}"
        for spec in LANDING_SOURCES
        for pattern in spec.patterns
        if folder_of(pattern) not in listed
    }
    assert not missing, sorted(missing)


def test_the_org_files_are_described() -> None:
    org = [spec for spec in LANDING_SOURCES if spec.source == "org"]
    text = _text("org_files.md")
    assert org
    for spec in org:
        for pattern in spec.patterns:
            name = pattern.split("/")[-1]
            assert f"`org/{name}`" in text or f"`{name}`" in text, name


@pytest.mark.parametrize(
    "column",
    ["email", "name", "team", "valid_from", "valid_to", "system", "external_id", "scope",
     "scope_id", "kind", "period_start", "period_end", "amount", "currency", "tools",
     "reimbursed_share", "USD", "CNY", "TOKENS"],
)  # fmt: skip
def test_every_org_column_is_described(column: str) -> None:
    assert f"`{column}`" in _text("org_files.md")


def test_every_mart_is_documented() -> None:
    marts = sorted(path.stem for path in (REPO / "dbt_project" / "models" / "marts").rglob("*.sql"))
    assert "mart_team_weekly" in marts
    text = _all_docs()
    missing = [mart for mart in marts if f"`{mart}`" not in text]
    assert not missing, missing


def test_every_dbt_var_is_documented() -> None:
    project_vars = yaml.safe_load((REPO / "dbt_project.yml").read_text()).get("vars", {})
    assert project_vars
    text = _all_docs()
    missing = [name for name in project_vars if f"`{name}`" not in text]
    assert not missing, missing


def _links() -> list[tuple[Path, str]]:
    pages = [*sorted(DOCS.glob("*.md")), REPO / "README.md"]
    return [(page, target) for page in pages for target in LINK.findall(page.read_text())]


def test_relative_links_resolve() -> None:
    broken = []
    for page, target in _links():
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue  # a URL, or an anchor in the same page
        path = (page.parent / target.split("#", 1)[0]).resolve()
        if not path.exists() and path not in COMING:
            broken.append(f"{page.relative_to(REPO)} -> {target}")
    assert not broken, broken


def test_anchors_into_the_docs_exist() -> None:
    """`page.md#heading` names a heading of that page (GitHub's slug rules)."""
    broken = []
    for page, target in _links():
        if "#" not in target or re.match(r"^[a-z][a-z0-9+.-]*:", target):
            continue
        name, anchor = target.split("#", 1)
        path = (page.parent / name).resolve() if name else page
        if not path.exists():
            continue  # reported by test_relative_links_resolve (or coming)
        headings = re.findall(r"^#+ (.+)$", path.read_text(), flags=re.MULTILINE)
        slugs = {re.sub(r"[^\w\- ]", "", h.lower()).strip().replace(" ", "-") for h in headings}
        if anchor not in slugs:
            broken.append(f"{page.relative_to(REPO)} -> {target}")
    assert not broken, broken


def test_the_readme_links_the_docs() -> None:
    readme = (REPO / "README.md").read_text()
    for name in ("landing_contract.md", "org_files.md", "metrics.md", "operations.md"):
        assert f"(docs/{name})" in readme, name
