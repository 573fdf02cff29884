# dgkit — two commands do all set-up:  `make report`  and  `make test`.
# Each creates .venv if missing and (re)installs only when pyproject.toml changed.
# Installs use uv (pinned below, put in .uv/ by pip: about 10 s for the whole kit); when uv cannot be
# had, pip does the same install (about 60 s). Both read the exact pins of pyproject.toml.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
UV_VERSION ?= 0.13.9
UV     := .uv/bin/uv
# uv's cache beside .venv (same disk): uv hardlinks from it instead of copying
export UV_CACHE_DIR ?= $(CURDIR)/.uv/cache
# install $(1) into the venv: uv when it is there, else pip
INSTALL = if [ -x $(UV) ]; then $(UV) pip install --quiet --python $(BIN)/python $(1) || $(BIN)/python -m pip install --quiet $(1); \
          else $(BIN)/python -m pip install --quiet $(1); fi
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
	@[ -x $(UV) ] || $(PYTHON) -m pip install --quiet --disable-pip-version-check --target .uv uv==$(UV_VERSION) >/dev/null 2>&1 \
	  || echo "make: uv could not be installed; using pip (slower)"
	@if [ -x $(UV) ]; then $(UV) venv --quiet --seed --python $(PYTHON) $(VENV); \
	 else $(PYTHON) -m venv $(VENV) && $(BIN)/python -m pip install --quiet --upgrade pip; fi

# Stamp files: a second run with an unchanged pyproject.toml installs nothing.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@$(call INSTALL,-e .)
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	@$(call INSTALL,-e ".[dev]")
	@touch $@ $(VENV)/.installed

report: $(VENV)/.installed
	$(BIN)/dgkit report --params $(PARAMS) --force $(if $(JOBS),--jobs $(JOBS)) $(ARGS)

test: $(VENV)/.installed-dev
	@.ci/ensure-chromium
	@.ci/ensure-texlive
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
	$(BIN)/python benchmarks/bench_interrupt.py

clean-venv:
	rm -rf $(VENV) .uv
