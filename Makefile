# Two commands do everything on a fresh machine with Python 3.11, pip and make:
#   make report   set up .venv, then build every report for the default period into outputs/
#   make test     set up .venv, then run the whole test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PERIOD ?= 2024-10
AREAS ?= all
JOBS ?= 2
STAMP := $(VENV)/.kccperf-installed
# `jupyter nbconvert --template kccperf` finds the project's template through this link into the venv.
NBCONVERT_TEMPLATE := $(VENV)/share/jupyter/nbconvert/templates/kccperf

.PHONY: setup report test lint clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name kccperf --display-name "Python (kccperf)"
	touch $(STAMP)

$(NBCONVERT_TEMPLATE): | $(STAMP)
	mkdir -p $(dir $@)
	ln -sfn $(CURDIR)/kccperf/publish/templates/nbconvert/kccperf $@

setup: $(STAMP) $(NBCONVERT_TEMPLATE)

report: setup
	$(BIN)/kccperf report --period $(PERIOD) --areas $(AREAS) --jobs $(JOBS)

test: setup
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check kccperf tests benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache outputs/*/
