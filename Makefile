# The course's commands. Each target does its own set-up: a fresh clone needs only Python 3.11,
# 3.12 or 3.13 (PYTHON=python3.12 make lab picks one) and make.
#   make lab        open JupyterLab on the notebooks (installs requirements.txt: the learner's set)
#   make test       lint + unit tests + every notebook under nbval in quick mode (what CI runs;
#                   adds the test and lint tools of requirements-dev.txt). MNIST_QUICK=0 make test
#                   runs the notebooks in full, as make notebooks commits them
#   make notebooks  re-execute every notebook in place from an empty results ledger (how the
#                   committed outputs are made), then ship 05's model and the ledger with the package
#   make model      re-train only the course's shipped model (notebook 05, in place)
#   make site       build the course's website into _site/ from the committed notebooks (no
#                   execution, no download; installs requirements-site.txt only)
#   make benchmark  measure every notebook's time and peak memory, full and quick (~30 min), and
#                   list the records in benchmarks/ that no longer describe the shipped files
#   make compat     run the course on Colab's mid-2025 stack and on Python 3.13 (two TensorFlows)
#   make offline-kit  download requirements.txt's wheels into offline-kit/ and check them offline
#   make check-python  say whether PYTHON (python3 unless set) can run the course: 3.11 to 3.13
# Add MNIST_QUICK=1 to any of them for quick mode (smaller training runs; make test's default).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# The test and lint tools on top (requirements-dev.txt): after a fresh STAMP, they install again
DEV_STAMP := $(VENV)/.dev-installed-stamp
# The website's tools (requirements-site.txt) alone: make site needs no TensorFlow
SITE_STAMP := $(VENV)/.site-installed-stamp
NOTEBOOKS ?= $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
# The pins resolve on these only: NumPy 2.4 has no wheel for 3.10, TensorFlow 2.21 none for 3.14.
SUPPORTED_PYTHONS := 3.11 3.12 3.13
# Stops make at once, before any venv exists, unless $(PYTHON) is one of SUPPORTED_PYTHONS.
CHECK_PYTHON = v=$$($(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null); \
	case " $(SUPPORTED_PYTHONS) " in *" $$v "*) ;; *) \
	echo "error: the course needs Python 3.11, 3.12 or 3.13, but $(PYTHON) is $${v:+Python }$${v:-not a Python that runs here}." >&2; \
	echo "  Name one that is: PYTHON=python3.12 make lab (or install one: pyenv install 3.12, or python.org)." >&2; \
	exit 1;; esac

.PHONY: help check-python install lab test lint format notebooks model site benchmark compat offline-kit clean

help:
	@sed -n 's/^#   //p' Makefile

check-python:
	@$(CHECK_PYTHON)
	@echo "$(PYTHON) is Python $$($(PYTHON) -c 'import platform; print(platform.python_version())'): supported"

$(STAMP): requirements.txt pyproject.toml
	@$(CHECK_PYTHON)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

$(DEV_STAMP): $(STAMP) requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $@

$(SITE_STAMP): requirements-site.txt
	@$(CHECK_PYTHON)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements-site.txt
	@touch $@

install: $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(DEV_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Two workers, one notebook or test file each at a time, longest first (tests/conftest.py): a
# notebook's kernel keeps 1.4 to 1.65 of 2 cores busy, so a second worker fills the gaps. The
# notebooks run in quick mode unless MNIST_QUICK says otherwise: their full runs are most of the
# time a full make test takes (benchmarks/notebooks.json), and make notebooks makes them anyway
test: lint
	MNIST_QUICK=$${MNIST_QUICK:-1} $(BIN)/python -m pytest -n 2

# Each notebook runs once, in order. 02 and 03 run before 04, so they quote its seed-to-seed
# spread from the committed record (mnist_helpers/data/course_results.json), as a fresh clone
# does; the snapshot below then ships this run's spread, which they quote on the next run.
notebooks: $(STAMP)
	rm -f notebooks/runs/results.json  # start from an empty ledger, as a fresh clone does
	MNIST_SHIP_MODEL=1 $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.timeout=3600 $(NOTEBOOKS)
	$(BIN)/python scripts/snapshot_results.py

model: $(STAMP)
	MNIST_SHIP_MODEL=1 $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.timeout=3600 notebooks/05_*.ipynb

# The notebooks as they are committed, read by Sphinx and MyST-NB (scripts/build_site.py; the
# settings are in site/). The pages workflow publishes _site/ on GitHub Pages.
site: $(SITE_STAMP)
	$(BIN)/python scripts/build_site.py

# benchmarks/stale.py says which records no longer describe the shipped files and what measures
# each again: before the half hour of measuring, and after it. A stale record does not stop make.
benchmark: $(STAMP)
	-$(BIN)/python benchmarks/stale.py
	$(BIN)/python benchmarks/measure_notebooks.py
	$(BIN)/python benchmarks/measure_notebooks.py --table
	-$(BIN)/python benchmarks/stale.py

compat: $(STAMP)
	$(BIN)/python benchmarks/compat.py

offline-kit: $(STAMP)
	PYTHON=$(BIN)/python scripts/offline_kit.sh offline-kit
	PYTHON=$(BIN)/python scripts/offline_kit.sh --check offline-kit

clean:
	rm -rf $(VENV) .compat runs .pytest_cache .ruff_cache _site build/site
