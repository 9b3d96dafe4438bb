# The two commands a newcomer needs: `make run` and `make test`. Both build the virtual
# environment from nothing (pinned by constraints.txt) the first time.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint up down status bench contracts clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)  ## bring the stack up, run the demonstration journey, stop everything
	$(BIN)/harness demo

test: $(STAMP)  ## every test: unit, integration (Tansu, SQLite, PostgreSQL), end to end
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

up: $(STAMP)
	$(BIN)/harness up --detach

down: $(STAMP)
	$(BIN)/harness down

status: $(STAMP)
	$(BIN)/harness status

bench: $(STAMP)
	$(BIN)/python bench/http_services.py
	$(BIN)/python bench/proxy_bench.py

contracts: $(STAMP)  ## re-export service contracts from code (then run the gate on the diff)
	$(BIN)/python -m harness.contracts.openapi_export

clean:
	rm -rf $(VENV) .harness .pytest_cache .ruff_cache .mypy_cache
