# Bellwether: `make run` to try it, `make test` to test it. See README.md.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -ec
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export BELLWETHER_HOME := $(CURDIR)

.PHONY: run test test-sqlite test-postgres lint format bench install demo worker clean

$(STAMP): pyproject.toml
	@scripts/ensure-system-packages.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip 2>&1 | { grep -v 'is ignored: it is neither' || true; }
	$(BIN)/pip install --quiet -e ".[dev]" 2>&1 | { grep -v 'is ignored: it is neither' || true; }
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/bellwether migrate --noinput -v0
	$(BIN)/bellwether demo --if-empty
	@scripts/run.sh $(HOST) $(PORT)

demo: $(STAMP)
	$(BIN)/bellwether migrate --noinput -v0
	$(BIN)/bellwether demo --if-empty

worker: $(STAMP)
	$(BIN)/bellwether worker

test: $(STAMP)
	@scripts/ensure-chromium.sh
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: $(STAMP)
	@echo "=== Test suite on SQLite ==="
	env -u DATABASE_URL $(BIN)/pytest -p xdist -n 2 -m "not browser" $(PYTEST_ARGS)
	env -u DATABASE_URL $(BIN)/pytest -m browser $(PYTEST_ARGS)

test-postgres: $(STAMP)
	@echo "=== Test suite on PostgreSQL ==="
	url="$$(scripts/ensure-postgres.sh)" && \
	DATABASE_URL="$$url" $(BIN)/pytest -p xdist -n 2 -m "not browser" $(PYTEST_ARGS) && \
	DATABASE_URL="$$url" $(BIN)/pytest -m browser $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	DATABASE_URL="$$(scripts/ensure-postgres.sh)" $(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) var/test-*
