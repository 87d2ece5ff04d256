"""Every dbt test becomes an asset check with a description a reader can act on.

dagster-dbt takes a check's description only from the test's `meta.description`, so the 200-odd
generic tests (not_null, unique, ...) arrive with none. The description says what the test
guarantees and what a failure means: a YAML `description:` wins, a generic test is described
from its arguments, and a singular test by the comment it opens with (house style).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtProject

_REF = re.compile(r"""ref\(\s*['"]([^'"]+)['"]""")


def _model_name(test: Mapping[str, Any]) -> str:
    attached = test.get("attached_node") or ""
    if attached:
        return attached.rsplit(".", 1)[-1]
    match = _REF.search(str(test.get("test_metadata", {}).get("kwargs", {}).get("model", "")))
    return match.group(1) if match else "the model"


def opening_comment(sql: str) -> str:
    """The `--` comment lines a singular test opens with, joined into one paragraph."""
    lines = []
    for line in sql.strip().splitlines():
        stripped = line.strip()
        if not stripped.startswith("--"):
            break
        lines.append(stripped.removeprefix("--").strip())
    return " ".join(line for line in lines if line)


def describe_test(test: Mapping[str, Any]) -> str:
    """One sentence or two: what the dbt test guarantees and what a failure means."""
    if test.get("description"):
        return str(test["description"])
    metadata = test.get("test_metadata") or {}
    if not metadata:
        comment = opening_comment(test.get("raw_code", ""))
        return comment or f"Singular dbt test `{test['name']}`: returns the rows that break it."
    kind = metadata.get("name")
    kwargs = metadata.get("kwargs", {})
    column = kwargs.get("column_name") or test.get("column_name")
    model = _model_name(test)
    if kind == "not_null":
        text = f"`{column}` is never null; a failure means rows of {model} lack a required value."
    elif kind == "unique":
        text = f"`{column}` is unique in {model}; a failure means duplicated rows."
    elif kind == "unique_combination_of_columns":
        columns = ", ".join(kwargs.get("columns", []))
        text = f"Grain: one row per ({columns}) in {model}; a failure means duplicated rows."
    elif kind == "accepted_values":
        values = ", ".join(str(v) for v in kwargs.get("values", []))
        text = (
            f"`{column}` is one of: {values}; a failure means a value {model} does not "
            "expect (a vendor change or a mapping gap)."
        )
    elif kind == "relationships":
        target = _REF.search(str(kwargs.get("to", "")))
        to = target.group(1) if target else kwargs.get("to")
        text = (
            f"Every `{column}` of {model} is a `{kwargs.get('field')}` of {to}; a failure "
            "means rows that join to nothing."
        )
    else:
        text = f"dbt test `{kind}` on {model}" + (f", column `{column}`" if column else "") + "."
    where = (test.get("config") or {}).get("where")
    return f"{text} Only rows where {where}." if where else text


class DescribedChecksTranslator(DagsterDbtTranslator):
    """dagster-dbt's defaults, plus a description on every check made from a dbt test."""

    def get_asset_check_spec(
        self,
        asset_spec: dg.AssetSpec,
        manifest: Mapping[str, Any],
        unique_id: str,
        project: DbtProject | None,
    ) -> dg.AssetCheckSpec | None:
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None or spec.description:
            return spec
        return spec._replace(description=describe_test(manifest["nodes"][unique_id]))
