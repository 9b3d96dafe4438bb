# The two commands a newcomer needs: `make run` and `make test`. Both build the virtual
# environment from nothing (pinned by constraints.txt) the first time.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: run demo test lint up down status bench contracts clean browser

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# The Allure 3 command line that renders the HTML report (package-lock.json pins it; needs
# Node.js 20+ and npm). Without npm the set-up goes on and the report step says the fix.
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $(NODE_STAMP); \
	else \
		echo "note: npm not found: the HTML report needs Node.js 20+ and npm (docs/reports.md)"; \
	fi

# Debian's chromium, for the test that opens the HTML report (needs root and apt-get;
# without them that test is skipped and says why).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "installing chromium (apt-get) for the report test"; \
			{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
				apt-get install -y -qq chromium >/dev/null; } \
			|| echo "note: apt-get could not install chromium; the report browser test will skip"; \
		else \
			echo "note: no chromium and no root apt-get; the report browser test will skip"; \
		fi; \
	}

run: $(STAMP) $(NODE_STAMP)  ## bring the stack up, run every suite, write the HTML report, stop everything
	$(BIN)/harness run

demo: $(STAMP)  ## bring the stack up, run the demonstration journey, stop everything
	$(BIN)/harness demo

test: $(STAMP) $(NODE_STAMP) browser  ## every test: unit, integration (Tansu, SQLite, PostgreSQL), end to end
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
	$(BIN)/python bench/gate_bench.py

contracts: $(STAMP)  ## re-export service contracts from code (then run the gate on the diff)
	$(BIN)/python -m harness.contracts.openapi_export

clean:
	rm -rf $(VENV) .harness .pytest_cache .ruff_cache .mypy_cache
