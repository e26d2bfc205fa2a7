# Two commands for a fresh machine: `make demo` (the main job) and `make test` (the test suite).
# Both create the virtual environment in .venv and install the package into it first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint install benchmark clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[all]'
	$(BIN)/python -m solvers.warm  # numba's cache: the first solve after install compiles nothing
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/ddp demo

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .

benchmark: $(STAMP)
	$(BIN)/python benchmarks/bench_policies.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis results
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
