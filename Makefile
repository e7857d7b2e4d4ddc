PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev
RUNSTAMP := $(VENV)/.installed

.PHONY: run test screenshots bench lint clean

$(VENV)/bin/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(RUNSTAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install -q -e .
	touch $@

$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install -q -e ".[dev]"
	touch $@ $(RUNSTAMP)

run: $(RUNSTAMP)
	$(BIN)/hocbot run

# Two pytest-xdist workers: most of the suite's time is spent waiting (subprocesses, fake servers, real
# rates), so two workers halve it on a 2-core machine. `make test TEST_WORKERS=0` runs in one process.
TEST_WORKERS ?= 2

test: $(STAMP)
	-@sh tests/browser_setup.sh
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# The README's dashboard pictures (tests/screenshots/*.png); `make test` writes its own to the ignored
# tests/screenshots/out/ so it leaves the checkout clean.
screenshots: $(STAMP)
	-@sh tests/browser_setup.sh
	HOCBOT_SCREENSHOTS_DIR=$(CURDIR)/tests/screenshots $(BIN)/python -m pytest tests/test_dashboard_browser.py $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m bench.run_all

lint: $(STAMP)
	$(BIN)/ruff check bot handlers content scheduler tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/hadolint deploy/Dockerfile

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
