# Two commands do everything on a fresh machine with Python 3.11, pip and make:
#   make report   set up .venv, then build every report for the default period into outputs/
#   make test     set up .venv, then run the whole test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Empty PERIOD: the newest edition on disk.
PERIOD ?=
AREAS ?= all
JOBS ?= 2
STAMP := $(VENV)/.kccperf-installed
# `jupyter nbconvert --template kccperf` finds the project's template through this link into the venv.
NBCONVERT_TEMPLATE := $(VENV)/share/jupyter/nbconvert/templates/kccperf

.PHONY: setup report test test-minimum lint clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,cluster]'
	$(BIN)/kccperf kernel
	touch $(STAMP)

$(NBCONVERT_TEMPLATE): | $(STAMP)
	mkdir -p $(dir $@)
	ln -sfn $(CURDIR)/kccperf/publish/templates/nbconvert/kccperf $@

# The library's bytecode, written ahead: where the environment sets PYTHONDONTWRITEBYTECODE (this project's CI machine
# does), Python never writes it, and every process (the command and each report worker) compiles the library again,
# about 0.3 s each. Up to date, this takes a fraction of a second.
setup: $(STAMP) $(NBCONVERT_TEMPLATE)
	$(BIN)/python -m compileall -q kccperf kccperf_launcher.py

report: setup
	$(BIN)/kccperf report $(if $(PERIOD),--period $(PERIOD)) --areas $(AREAS) --jobs $(JOBS)

test: setup
	$(BIN)/python -m pytest

# The library's tests against the lowest versions pyproject.toml allows (constraints/minimum.txt), in .venv-min.
# CI runs it once after `make test`; the notebooks and browser tests run with the current versions only, and so does
# the cluster module, whose optional extra (distributed) the minimum environment does not install.
MIN_VENV := .venv-min
MIN_TESTS := kccperf tests/judge tests/scorecard tests/budget/test_read.py tests/budget/test_calculate.py \
	tests/budget/test_reconcile.py tests/publish/test_summary.py tests/publish/test_suppress.py tests/publish/test_downloads.py \
	tests/publish/test_inprocess.py

test-minimum:
	test -x $(MIN_VENV)/bin/python || $(PYTHON) -m venv $(MIN_VENV)
	$(MIN_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(MIN_VENV)/bin/python -m pip install --quiet -c constraints/minimum.txt -e '.[test]'
	$(MIN_VENV)/bin/kccperf kernel
	$(MIN_VENV)/bin/python -m pip freeze | grep -iE '^(numpy|pandas|matplotlib|statsmodels|pandera)=='
	$(MIN_VENV)/bin/python -m pytest -p no:cacheprovider -m "not slow" --ignore=kccperf/publish/cluster.py $(MIN_TESTS)

lint: setup
	$(BIN)/ruff check kccperf kccperf_launcher.py tests benchmarks

clean:
	rm -rf $(VENV) $(MIN_VENV) .pytest_cache .ruff_cache outputs/*/
