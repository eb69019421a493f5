# Every target sets up what it needs: a fresh machine runs `make demo` or `make test` directly.
VENV   ?= .venv
BIN    := $(VENV)/bin
PYTHON ?= python3

.PHONY: demo test lint dev bench bench-accuracy clean

$(BIN)/sop: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# dbt's manifest (not in git) is made by dagster-dbt's own preparer, again whenever a dbt file
# changes; `dagster dev` re-parses on its own (DbtProject.prepare_if_dev).
MANIFEST  := dbt_project/target/manifest.json
DBT_FILES := $(shell find dbt_project/models dbt_project/macros dbt_project/tests dbt_project/dbt_project.yml -name '*.sql' -o -name '*.yml')
$(MANIFEST): $(BIN)/sop $(DBT_FILES)
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/dagster-dbt project prepare-and-package \
		--file sop_pipeline/defs/dbt/project.py
	touch $@

demo: $(MANIFEST)  ## generate demo exports, plan the newest cycles, print the KPIs
	$(BIN)/sop demo

lint: $(BIN)/sop  ## ruff (lint + format check) and mypy
	$(BIN)/ruff check sop_pipeline sop_pipeline_tests benchmarks scripts
	$(BIN)/ruff format --check sop_pipeline sop_pipeline_tests benchmarks scripts
	$(BIN)/mypy

# one worker per core, each test file on one worker (its module fixtures are built once)
test: lint $(MANIFEST)  ## lint, then the whole test suite (unit, Dagster, dbt, PostgreSQL)
	$(BIN)/pytest -n auto --dist loadfile --durations=25

dev: $(MANIFEST)  ## the Dagster UI with the schedule, backfills and the CLI's runs
	PATH="$(abspath $(BIN)):$$PATH" DAGSTER_HOME=$(CURDIR)/.dagster $(BIN)/dagster dev -w workspace.yaml

bench: $(MANIFEST)  ## speed and memory: a demo cycle at 200 and 2,000 SKUs, the LP at 10,000 SKUs, 1,000 forecasts
	$(BIN)/python -m benchmarks.cycle_benchmark
	$(BIN)/python -m benchmarks.lp_benchmark
	$(BIN)/python -m benchmarks.forecast_accuracy --timing

bench-accuracy: $(MANIFEST)  ## forecast accuracy on M1 and Tourism monthly against single models (~30 min)
	$(BIN)/python -m benchmarks.forecast_accuracy

clean:
	rm -rf exports reports sop.duckdb .dagster dbt_project/target dbt_project/logs
