# make leaflets : set up everything on a fresh Debian machine, then build every edition
# make test     : set up, then run the tests
# make bench    : set up, then measure build speed and memory
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: leaflets test bench setup debian-packages clean

leaflets: setup
	$(BIN)/python make_leaflets.py

test: setup
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python benchmarks/bench.py

setup: debian-packages $(STAMP)

debian-packages:
	@scripts/install-debian-packages.sh

# The virtual environment, with the exact versions of requirements.lock; redone when either file changes.
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

clean:
	rm -rf build
