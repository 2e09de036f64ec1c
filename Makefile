# The course's commands. Each target does its own set-up: a fresh clone needs only Python 3.11.
#   make lab        open JupyterLab on the notebooks
#   make test       lint + unit tests + every notebook under nbval (what CI runs)
#   make notebooks  re-execute every notebook in place from an empty results ledger (how the
#                   committed outputs are made), then ship 05's model and the ledger with the package
#   make model      re-train only the course's shipped model (notebook 05, in place)
#   make benchmark  measure every notebook's time and peak memory, full and quick (~30 min)
#   make offline-kit  download every wheel into offline-kit/ and check it installs offline
# Add MNIST_QUICK=1 to any of them for quick mode (smaller training runs).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
NOTEBOOKS ?= $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))

.PHONY: help install lab test lint format notebooks model benchmark offline-kit clean

help:
	@sed -n 's/^#   //p' Makefile

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

install: $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint
	$(BIN)/python -m pytest

notebooks: $(STAMP)
	rm -f notebooks/runs/results.json  # start from an empty ledger, as a fresh clone does
	MNIST_SHIP_MODEL=1 $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.timeout=3600 $(NOTEBOOKS)
	$(BIN)/python scripts/snapshot_results.py

model: $(STAMP)
	MNIST_SHIP_MODEL=1 $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.timeout=3600 notebooks/05_*.ipynb

benchmark: $(STAMP)
	$(BIN)/python scripts/measure_notebooks.py
	$(BIN)/python scripts/measure_notebooks.py --table

offline-kit: $(STAMP)
	PYTHON=$(BIN)/python scripts/offline_kit.sh offline-kit
	PYTHON=$(BIN)/python scripts/offline_kit.sh --check offline-kit

clean:
	rm -rf $(VENV) runs .pytest_cache .ruff_cache
