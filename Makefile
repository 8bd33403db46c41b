# kyoten: two set-up commands.  `make demo` serves the demo; `make test` runs lint and every test.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000

.PHONY: demo test lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/kyoten demo --port $(PORT)

test: $(VENV)/.test-installed
	VENV=$(VENV) bash scripts/test.sh

lint: $(VENV)/.test-installed
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: $(VENV)/.test-installed
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

bench: $(VENV)/.test-installed
	for b in bench/bench_*.py; do PYTHONPATH=src $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) var/*.test-* build *.egg-info
