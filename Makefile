# eks-platform — everything a developer runs, on a machine with only python3.
#   make test                 create the venv, install both requirement files, lint, run the tests
#   make render STACK=dev     offline preview of a stack into build/<stack> (see README)
#   make bench                benchmark render and tests (medians)
PYTHON ?= python3
VENV := venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv test lint fmt render bench clean

STACK ?= dev
OUT ?= build/$(STACK)

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/python -m pytest

render: $(STAMP)
	$(BIN)/python -m render --stack $(STACK) $(if $(CONFIG),--config $(CONFIG)) --out $(OUT)

bench: $(STAMP)
	$(BIN)/python -m benchmarks.bench

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) build
