# The two commands of the README: `make run` and `make test`. Both create .venv themselves.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
CONSTRAINTS := .ci/constraints.txt
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test lint i18n install install-test bench bench-quick chaos chaos-quick seed-national-check clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(VENV)/bin/python pyproject.toml $(CONSTRAINTS)
	$(PY) -m pip install --quiet -c $(CONSTRAINTS) -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -c $(CONSTRAINTS) -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	$(VENV)/bin/registry db upgrade
	$(VENV)/bin/registry seed --demo
	$(VENV)/bin/registry run --host $(HOST) --port $(PORT)

test: install-test
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install-test
	$(VENV)/bin/ruff check registry tests

i18n: install
	$(PY) -m registry.locale.catalogs

# Performance (docs/performance.md): one table of the registry beside reference handlers on the same stack.
# Not part of `make test`. Uses wrk for the saturation runs when installed (apt-get install wrk).
BENCH_ARGS ?=
bench: install-test
	$(PY) -m tests.perf.bench $(BENCH_ARGS)

bench-quick: install-test
	$(PY) -m tests.perf.bench --quick $(BENCH_ARGS)

# Fault injection (docs/operations.md, README "Reliability"): crash, backup under load, fuzz, overload, tamper,
# against the real server on loopback; each run prints its figures. Not part of `make test`.
CHAOS_ARGS ?=
chaos: install-test
	$(PY) -m tests.chaos.run $(CHAOS_ARGS)

chaos-quick: install-test
	$(PY) -m tests.chaos.run --quick $(CHAOS_ARGS)

# The synthetic national set (README "Synthetic data sets"): build it on PostgreSQL (SQLite with
# NATIONAL_ARGS="--backend sqlite"), time it, verify the ledger, check 1,000 villages' lists. Not part of `make test`.
NATIONAL_ARGS ?= --backend postgresql
seed-national-check: install-test
	$(PY) -m tests.perf.national $(NATIONAL_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
