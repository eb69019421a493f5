# Every target sets up what it needs: a fresh machine runs `make demo` or `make test` directly.
VENV   ?= .venv
BIN    := $(VENV)/bin
PYTHON ?= python3

.PHONY: demo test lint dev bench clean

$(BIN)/sop: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

demo: $(BIN)/sop  ## generate demo exports, plan the newest cycles, print the KPIs
	$(BIN)/sop demo

lint: $(BIN)/sop  ## ruff (lint + format check) and mypy
	$(BIN)/ruff check sop_pipeline sop_pipeline_tests benchmarks
	$(BIN)/ruff format --check sop_pipeline sop_pipeline_tests benchmarks
	$(BIN)/mypy

test: lint  ## lint, then the whole test suite (unit, Dagster, dbt, PostgreSQL)
	$(BIN)/pytest

dev: $(BIN)/sop  ## the Dagster UI with the schedule, backfills and the CLI's runs
	DAGSTER_HOME=$(CURDIR)/.dagster $(BIN)/dagster dev -w workspace.yaml

bench: $(BIN)/sop  ## one cycle at demo scale and at 10x the SKUs: time and memory per step
	$(BIN)/python -m benchmarks.cycle_benchmark

clean:
	rm -rf exports reports sop.duckdb .dagster dbt_project/target dbt_project/logs
