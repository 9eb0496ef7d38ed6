# Two commands for a fresh machine: `make demo` and `make test`.
# Each creates .venv if missing and installs the project with what it needs.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint install bench clean chromium train evaluate outline

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

# Train the event classifier from training/config.yaml into the package (deterministic; needs
# ../shared/training/ngec-voa and ../shared/benchmarks next to the repository), then evaluate
# the classifier and the whole coder on the unseen test split (docs/events-model.md).
train: $(STAMP)
	$(BIN)/python -m legation.learn.train --config training/config.yaml

evaluate: $(STAMP)
	$(BIN)/python bench/eval_coder.py --split test

bench: $(STAMP)
	$(BIN)/python bench/bench_clean.py

# The dashboard map's country outline (committed): Natural Earth 1:110m, public domain, read
# out of the geopandas 0.14.4 wheel (downloaded, not installed). Needs the package index.
outline: $(STAMP)
	rm -rf build/outline && mkdir -p build/outline
	$(BIN)/python -m pip download --quiet --no-deps --dest build/outline geopandas==0.14.4
	$(BIN)/python scripts/gen_world_outline.py build/outline/geopandas-0.14.4-py3-none-any.whl

clean:
	rm -rf $(VENV) legation.duckdb legation.duckdb.wal .pytest_cache .mypy_cache .ruff_cache
