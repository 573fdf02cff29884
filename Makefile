# dgkit — two commands do all set-up:  `make report`  and  `make test`.
# Each creates .venv if missing and (re)installs only when pyproject.toml changed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PARAMS ?= params/2020.yaml
JOBS   ?=
ARGS   ?=

.PHONY: report test lint lab bench clean-venv help

help:
	@echo "make report   install (if needed) and build the default edition's full report ($(PARAMS))"
	@echo "make test     install (if needed) with the dev extra and run the test suite"
	@echo "make lab      open JupyterLab on notebooks/"
	@echo "make lint     ruff check"
	@echo "make bench    run the benchmark scripts (they print ratios)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files: a second run with an unchanged pyproject.toml installs nothing.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@ $(VENV)/.installed

report: $(VENV)/.installed
	$(BIN)/dgkit report --params $(PARAMS) --force $(if $(JOBS),--jobs $(JOBS)) $(ARGS)

test: $(VENV)/.installed-dev
	@.ci/ensure-chromium
	$(BIN)/python -m pytest $(ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check dgkit tests benchmarks

lab: $(VENV)/.installed
	$(BIN)/dgkit lab

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/bench_import.py
	$(BIN)/python benchmarks/bench_uncertainty.py
	$(BIN)/python benchmarks/bench_validate.py
	$(BIN)/python benchmarks/bench_report.py
	$(BIN)/python benchmarks/bench_county_report.py
	$(BIN)/python benchmarks/bench_dynamics.py

clean-venv:
	rm -rf $(VENV)
