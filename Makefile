# tokenworth: a few verbs. `make demo` and `make test` work on a fresh machine (Python 3.11 + make).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The venv's tools (dbt, dagster) come first on PATH, so nothing needs activating.
export PATH := $(CURDIR)/$(BIN):$(PATH)
# Dagster writes instance data (and telemetry) under DAGSTER_HOME: the demo and the UI share
# .dagster_home; lint, tests and CI use their own, so the UI never shows CI's runs.
export DAGSTER_HOME := $(CURDIR)/.dagster_home
CI_DIR := $(CURDIR)/.ci_tmp
CI_DAGSTER_HOME := $(CURDIR)/.ci_dagster_home
test lint dbt-build pytest: export DAGSTER_HOME := $(CI_DAGSTER_HOME)

.PHONY: install demo test lint dbt-build pytest dev benchmark docs clean

# The browser test (tests/test_ui_browser.py) drives Debian's Chromium through Playwright
# (Playwright's own browser download cannot reach its host); installed here when missing.
CHROMIUM := /usr/bin/chromium
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet uv==0.13.9
	$(BIN)/uv pip install --quiet --python $(BIN)/python --compile-bytecode -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --compile-bytecode --no-deps -e .
	touch $(STAMP)

install: $(STAMP)
	@mkdir -p $(DAGSTER_HOME)
	@cp orchestration/dagster.yaml $(DAGSTER_HOME)/dagster.yaml

demo: install
	$(BIN)/tokenworth demo

# Lint, a full dbt build (data + unit tests) on the demo-sized organisation, then pytest.
test: install lint dbt-build pytest

lint: install
	mkdir -p $(CI_DIR)
	$(BIN)/ruff check orchestration tests
	$(BIN)/ruff format --check orchestration tests
	TOKENWORTH_WAREHOUSE=$(CI_DIR)/lint.duckdb $(BIN)/sqlfluff lint dbt_project/models

dbt-build: install
	rm -rf $(CI_DIR) && mkdir -p $(CI_DIR)
	$(BIN)/tokenworth generate --out $(CI_DIR)/landing --end-date 2026-10-31
	TOKENWORTH_EXTRACT=off $(BIN)/tokenworth build --landing $(CI_DIR)/landing --warehouse $(CI_DIR)/warehouse.duckdb --partition 2026-10-31

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium >/dev/null

pytest: install $(CHROMIUM)
	$(BIN)/pytest

dev: install
	$(BIN)/dagster dev

benchmark: install
	$(BIN)/python -m orchestration.benchmark

# The dbt docs site in one file, target/static_index.html (open it in a browser; no server).
# With a built warehouse (make demo) dbt compiles the SQL and reads column types into the
# catalog; on a fresh clone it needs no warehouse (empty catalog, descriptions from the YAML;
# `--no-compile` reads the manifest, hence the parse first).
DOCS_WAREHOUSE := $(or $(TOKENWORTH_WAREHOUSE),data/warehouse.duckdb)
docs: install
	$(BIN)/dbt parse --quiet
	$(BIN)/dbt docs generate --static $(if $(wildcard $(DOCS_WAREHOUSE)),,--empty-catalog --no-compile)
	@echo "dbt docs: $(CURDIR)/target/static_index.html"

clean:
	rm -rf $(VENV) $(CI_DIR) $(CI_DAGSTER_HOME) target logs .dagster_home
