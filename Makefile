# The course's commands. Each target does its own set-up: a fresh clone needs only Python 3.11.
#   make lab        open JupyterLab on the notebooks
#   make test       lint + unit tests + every notebook under nbval (what CI runs)
#   make notebooks  re-execute every notebook in place (how the committed outputs are made),
#                   then ship notebook 05's model and the results ledger with the package
#   make model      re-train only the course's shipped model (notebook 05, in place)
# Add MNIST_QUICK=1 to any of them for quick mode (smaller training runs).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
NOTEBOOKS ?= $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))

.PHONY: help install lab test lint format notebooks model clean

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
	MNIST_SHIP_MODEL=1 $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.timeout=3600 $(NOTEBOOKS)
	$(BIN)/python scripts/snapshot_results.py

model: $(STAMP)
	MNIST_SHIP_MODEL=1 $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.timeout=3600 notebooks/05_*.ipynb

clean:
	rm -rf $(VENV) runs .pytest_cache .ruff_cache
