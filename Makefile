# eks-platform — everything a developer runs, on a machine with only python3 (3.11 or newer, checked first).
#   make test                 create the venv, install both requirement files, lint, run the tests
#   make render STACK=dev     offline preview of a stack into build/<stack> (docs/render.md)
#   make scan                 checkov on the dev and prod renders (offline), with scan/allowlist.py
#   make bench                benchmark render and tests (medians)
#   make readme               regenerate the sample outputs of README.md and docs/ (render/readme.py)
#   make diff STACK=dev [BASE=ref]   review a change against BASE (default: the merge base with main)
#   make prices               refresh pricing/prices.json from the AWS Price List API (needs credentials)
#   make golden               store the current renders of every stack as the golden ones (tests/golden)
#   make import-eksctl FILE=cluster.yaml STACK=staging [ARGS="--strict --bind admins=cluster-admin"]
#                             a stack from an eksctl ClusterConfig (docs/eksctl.md)
#   make new-stack NAME=staging FROM=dev   a new stack: stack file, policy config, golden render (docs/deploying.md)
#   make deployer-policy STACK=dev [ACCOUNT=111122223333] [ARGS=--read-only]   the least-privilege IAM policy
#                             of who runs `pulumi up`/`destroy` (or only previews) a stack (docs/deployer-policy.md)
PYTHON ?= python3
VENV := venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SCAN_STAMP := venv-scan/.installed

# First of all (while make reads this file, before any rule runs): PYTHON is as new as pyproject.toml's
# requires-python, or make stops with one line saying what it found; a venv another Python made is
# removed, so the rules below build it again. `make clean` needs no Python.
ifneq ($(MAKECMDGOALS),clean)
PYTHON_PROBLEM := $(shell sh tools/check-python.sh "$(PYTHON)" $(VENV) venv-scan)
ifneq ($(PYTHON_PROBLEM),)
$(error $(PYTHON_PROBLEM))
endif
endif

.PHONY: venv test lint fmt render bench scan readme diff golden clean prices import-eksctl new-stack deployer-policy

STACK ?= dev
OUT ?= build/$(STACK)

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
	touch $(STAMP)

# checkov (the security scanner) in a venv of its own: it is large and pins its own dependencies.
$(SCAN_STAMP): requirements-scan.txt
	test -x venv-scan/bin/python || $(PYTHON) -m venv venv-scan
	venv-scan/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-scan.txt
	touch $(SCAN_STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint $(SCAN_STAMP)
	$(BIN)/python -m pytest

render: $(STAMP)
	$(BIN)/python -m render --stack $(STACK) $(if $(CONFIG),--config $(CONFIG)) --out $(OUT)

scan: $(STAMP) $(SCAN_STAMP)
	$(BIN)/python -m render --stack dev --out build/dev > /dev/null
	$(BIN)/python -m render --stack prod --out build/prod > /dev/null
	$(BIN)/python -m scan build/dev/manifests build/prod/manifests

deployer-policy: $(STAMP)
	$(BIN)/python -m deployer --stack $(STACK) $(if $(ACCOUNT),--account $(ACCOUNT)) $(if $(CONFIG),--config $(CONFIG)) --out $(OUT) $(ARGS)

diff: $(STAMP)
	$(BIN)/python -m review --stack $(STACK) $(if $(BASE),--base $(BASE))

prices: $(STAMP)
	$(BIN)/python -m pricing

golden: $(STAMP)
	$(BIN)/python -m review.golden --write

readme: $(STAMP)
	$(BIN)/python -m render.readme --write

# STACK must be named here: the default (dev) is an existing stack, and the import never guesses.
import-eksctl: $(STAMP)
	$(if $(FILE),,$(error FILE=<eksctl cluster.yaml> is required))
	$(if $(filter file,$(origin STACK)),$(error STACK=<new stack name> is required))
	$(BIN)/python -m importer $(FILE) --stack $(STACK) $(ARGS)

new-stack: $(STAMP)
	$(if $(NAME),,$(error NAME=<new stack name> is required))
	$(if $(FROM),,$(error FROM=<the stack to start from> is required))
	$(BIN)/python -m new_stack $(NAME) --from $(FROM)

bench: $(STAMP)
	$(BIN)/python -m benchmarks.bench

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) venv-scan build
