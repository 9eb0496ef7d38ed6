# Two commands for a fresh machine: `make demo` and `make test`.
# Each creates .venv if missing and installs the project with what it needs.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint install bench clean chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall when the project's requirements change.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,serve,dask]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/legation ingest examples --db legation.duckdb
	$(BIN)/legation stats --db legation.duckdb

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

# The browser tests drive Debian's Chromium (Playwright never downloads its own browser).
chromium:
	@if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update && apt-get install -y chromium; \
	fi

test: lint chromium
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python bench/bench_clean.py

clean:
	rm -rf $(VENV) legation.duckdb legation.duckdb.wal .pytest_cache .mypy_cache .ruff_cache
