# Two set-up commands: `make run` and `make test`; each creates .venv itself.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format bench screenshots clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,postgres]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/cltui --demo

lint: $(STAMP)
	$(BIN)/ruff check cltui tests bench
	$(BIN)/ruff format --check cltui tests bench

format: $(STAMP)
	$(BIN)/ruff format cltui tests bench
	$(BIN)/ruff check --fix cltui tests bench

test: lint
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m bench

screenshots: $(STAMP)
	$(BIN)/python -m tests.screenshots

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
