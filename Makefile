# Job-market salary & skills dashboard. `make help` lists every target.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
# make run serves this machine only; ADDRESS=0.0.0.0 exposes the app to the network on purpose.
ADDRESS ?= 127.0.0.1
MIRROR ?= ../shared/datasets
# The data root make run builds and serves (the app's JOBMARKET_DATA_DIR).
DATA_DIR ?= $(or $(JOBMARKET_DATA_DIR),data)
USERS ?= 20
ROWS ?= 1000000
DURATION ?= 60
BROWSER_RUNS ?= 3
DATA ?= seed
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed
SCALE_STAMP := $(VENV)/.scale-installed
SCALE_ROWS ?= 1000000
JOBS ?= 2

.DEFAULT_GOAL := help
.PHONY: help run test test-scale data refresh status sources lint format bench loadtest e2e \
	screenshots clean

help: ## List every target with what it does
	@grep -E '^[a-zA-Z0-9_-]+:.*?## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(RUNTIME_STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@ $(RUNTIME_STAMP)

$(SCALE_STAMP): $(DEV_STAMP) requirements-scale.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-scale.txt
	@touch $@

data: $(RUNTIME_STAMP) ## Build DATA_DIR once: every source (mirror MIRROR if present, else downloads); the seed tables if none is reachable
	@# A source that cannot be reached is recorded; the app then shows the seed tables in its
	@# place with a banner saying so and how to fix it (make refresh). A later run reuses the data.
	@if [ -f "$(DATA_DIR)/processed/manifest.json" ]; then \
		echo "Using the data already in $(DATA_DIR)/processed (make refresh updates it)."; \
	else \
		echo "First run: building the data from the local mirror $(MIRROR) when it exists (about 10 seconds), else from downloads (minutes)."; \
		$(MAKE) --no-print-directory refresh || \
			echo "Some sources failed (above): the app says which and shows the seed tables."; \
	fi
	@test -f "$(DATA_DIR)/processed/manifest.json" || $(PY) -m etl --data-dir "$(DATA_DIR)" refresh seed

run: data ## Set up the environment, build the data on first run (real if reachable, else seed), serve http://localhost:8501
	JOBMARKET_DATA_DIR="$(DATA_DIR)" $(PY) -m streamlit run dashboard/app.py \
		--server.port $(PORT) --server.address $(ADDRESS) \
		--server.headless true \
		--browser.gatherUsageStats false

test: $(DEV_STAMP) ## Set up the environment, then lint and run the whole test suite
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@# pytest exits 5 when every test was deselected or skipped away; that is not a failure.
	@# Two workers (JOBS): one file's browser tests on one server stay on one worker (tests/e2e/conftest.py).
	$(PY) -m pytest -n $(JOBS) --dist loadgroup $(PYTEST_ARGS); rc=$$?; \
		if [ $$rc -eq 5 ]; then rc=0; fi; exit $$rc

test-scale: $(SCALE_STAMP) ## DuckDB, pandas and a Spark cluster (master + worker started and stopped here) on SCALE_ROWS (1000000) synthetic rows: same answers
	JOBMARKET_SCALE_ROWS=$(SCALE_ROWS) $(PY) -m pytest -m scale tests/scale $(PYTEST_ARGS)

refresh: $(RUNTIME_STAMP) ## Refresh every source (reads the mirror ../shared/datasets when it exists)
	@if [ -d "$(MIRROR)" ]; then $(PY) -m etl --data-dir "$(DATA_DIR)" refresh --mirror "$(MIRROR)"; \
		else $(PY) -m etl --data-dir "$(DATA_DIR)" refresh; fi

status: $(RUNTIME_STAMP) ## Show tables, rows, sources, as-of dates and the last refresh
	$(PY) -m etl status

sources: $(RUNTIME_STAMP) ## List the registered sources with URL, licence and attribution
	$(PY) -m etl sources

bench: $(DEV_STAMP) ## Benchmark the ETL, the queries, every page in Chromium vs a bare one-chart app, and ROWS (1000000) salary rows vs pandas
	$(PY) -m bench.run
	$(PY) -m bench.browser --data auto --runs $(BROWSER_RUNS)
	$(PY) -m bench --rows $(ROWS)

e2e: $(DEV_STAMP) ## Browser tests only: Chromium drives `streamlit run` on seed and real data
	$(PY) -m pytest -m e2e tests/e2e $(PYTEST_ARGS)

loadtest: $(DEV_STAMP) ## USERS (20) concurrent browser sessions change filters for DURATION (60) s; fails on an error or a p95 >= 30 s
	$(PY) -m bench.loadtest --users $(USERS) --duration $(DURATION)

screenshots: $(DEV_STAMP) ## PNGs of every page at 1400 and 390 px in tests/e2e/screenshots (DATA=seed|real|DIR)
	$(PY) -m tests.browser.screenshots --data $(DATA) --out tests/e2e/screenshots

lint: $(DEV_STAMP) ## ruff check and ruff format --check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(DEV_STAMP) ## Apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean: ## Remove generated data and caches (keeps the virtualenv and data/seed)
	rm -rf data/raw data/processed data/.versions data/quarantine data/.refresh.lock \
		.pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -not -path './$(VENV)/*' -exec rm -rf {} +
