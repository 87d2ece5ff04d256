"""Extract: one asset per vendor API endpoint, upstream of the ingest asset of its folder, so the
lineage runs API -> landing -> raw -> marts and the nightly job extracts before it loads.

Credentials, scopes and base URLs are Dagster resources built from `EnvVar`s (the variable's
name is in the definitions, its value only in the run). A variable that is not set leaves the
field empty and the endpoint is skipped with one line. A vendor failure does not fail the
step: it fails the asset's `extract_succeeded` check (ERROR) and the rest of the night goes on
with what the landing folders already hold.
"""

import os
from datetime import date

import dagster as dg
import duckdb

from orchestration.defs.partitions import DUCKDB_POOL, daily
from orchestration.extract.endpoints import AUTH, BY_NAME, ENDPOINTS, extract_key
from orchestration.extract.runner import Endpoint, run_endpoint
from orchestration.extract.sources import (
    SOURCES,
    SourceConfig,
    extraction_enabled,
    lookback_days_from_env,
    source_config,
)
from orchestration.lib.settings import landing_dir, warehouse_path

EXTRACT_CHECK = "extract_succeeded"
EXTRACT_CHECK_DESCRIPTION = (
    "The vendor API was reachable with the configured credentials and every page of this "
    "endpoint landed (skipped, and passing, when the source has no credentials)."
)


class SourceApi(dg.ConfigurableResource):
    """One vendor's credentials, base URL and scope (GitHub repos and org, the Jira JQL)."""

    source: str
    secret: str | None = None
    secret_2: str | None = None
    base_url: str | None = None
    github_repos: str | None = None
    github_org: str | None = None
    jira_jql: str | None = None

    def source_config(self) -> SourceConfig:
        spec = SOURCES[self.source]
        secrets = (self.secret, self.secret_2)[: len(spec.credential_vars)]
        scope = {
            "TOKENWORTH_GITHUB_REPOS": self.github_repos,
            "TOKENWORTH_GITHUB_ORG": self.github_org,
            "TOKENWORTH_JIRA_JQL": self.jira_jql,
        }
        return source_config(
            self.source, secrets, self.base_url, {v: scope.get(v) for v in spec.scope_vars}
        )


class ExtractSettings(dg.ConfigurableResource):
    enabled: bool = True
    restatement_lookback_days: int = 35


def _env(name: str) -> dg.EnvVar | None:
    # EnvVar only for variables that are set: an unset EnvVar fails the run, an unset
    # credential must skip the source instead.
    return dg.EnvVar(name) if os.environ.get(name) else None


def source_resource(source: str) -> SourceApi:
    spec = SOURCES[source]
    fields = {
        "secret": _env(spec.credential_vars[0]),
        "secret_2": _env(spec.credential_vars[1]) if len(spec.credential_vars) > 1 else None,
        "base_url": _env(spec.base_url_var),
        "github_repos": _env("TOKENWORTH_GITHUB_REPOS"),
        "github_org": _env("TOKENWORTH_GITHUB_ORG"),
        "jira_jql": _env("TOKENWORTH_JIRA_JQL"),
    }
    return SourceApi(source=source, **{k: v for k, v in fields.items() if v is not None})


def resource_key(source: str) -> str:
    return f"{source}_api"


def extract_resources() -> dict[str, dg.ConfigurableResource]:
    resources: dict[str, dg.ConfigurableResource] = {
        resource_key(source): source_resource(source) for source in AUTH
    }
    resources["extract_settings"] = ExtractSettings(
        enabled=extraction_enabled(), restatement_lookback_days=lookback_days_from_env()
    )
    return resources


def _since(context: dg.AssetExecutionContext) -> date | None:
    """A backfill over several days extracts from its first day; a nightly run from the cursor."""
    if not context.has_partition_key_range:
        return None
    window = context.partition_time_window
    return window.start.date() if (window.end - window.start).days > 1 else None


def build_extract_asset(endpoint: Endpoint) -> dg.AssetsDefinition:
    key = dg.AssetKey(extract_key(endpoint.landing))
    upstream = [dg.AssetKey(extract_key(BY_NAME[name].landing)) for name in endpoint.after]

    @dg.asset(
        key=key,
        description=f"Pulls {endpoint.landing.description} (page by page, unchanged).",
        group_name="extract",
        kinds={"python"},
        deps=upstream,
        partitions_def=daily,
        backfill_policy=dg.BackfillPolicy.single_run(),
        # The stream cursors live in the warehouse, which has one writer.
        pool=DUCKDB_POOL,
        required_resource_keys={resource_key(endpoint.source), "extract_settings"},
        metadata={"landing_folder": endpoint.folder, "source": endpoint.source},
        check_specs=[
            dg.AssetCheckSpec(EXTRACT_CHECK, asset=key, description=EXTRACT_CHECK_DESCRIPTION)
        ],
    )
    def _extract(context: dg.AssetExecutionContext):  # type: ignore[no-untyped-def]
        settings: ExtractSettings = context.resources.extract_settings
        api: SourceApi = getattr(context.resources, resource_key(endpoint.source))
        config = api.source_config()
        if not settings.enabled:
            status, message, pages = "skipped", "skipped: TOKENWORTH_EXTRACT=off", 0
        elif not config.is_configured:
            status, message, pages = "skipped", config.skip_reason(), 0
        else:
            warehouse = warehouse_path()
            warehouse.parent.mkdir(parents=True, exist_ok=True)
            with duckdb.connect(str(warehouse)) as conn:
                result = run_endpoint(
                    endpoint,
                    config,
                    landing_dir(),
                    conn,
                    AUTH[endpoint.source],
                    since=_since(context),
                    lookback_days=settings.restatement_lookback_days,
                    log=context.log.info,
                )
            status, message, pages = result.status, result.message, result.pages
        if status == "failed":
            context.log.error(f"{endpoint.name}: {message}")
        else:
            context.log.info(f"{endpoint.name}: {message}")
        yield dg.MaterializeResult(
            asset_key=key, metadata={"status": status, "message": message, "pages": pages}
        )
        yield dg.AssetCheckResult(
            asset_key=key,
            check_name=EXTRACT_CHECK,
            passed=status != "failed",
            severity=dg.AssetCheckSeverity.ERROR,
            description="The endpoint's pages were pulled (or it was skipped: no credentials).",
            metadata={"status": status, "message": message},
        )

    return _extract


extract_assets = [build_extract_asset(endpoint) for endpoint in ENDPOINTS]
