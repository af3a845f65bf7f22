# Entraide: `make up` runs the network with demo data, `make test` checks everything.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
UV_VERSION := 0.13.8
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)

.PHONY: help prerequisites setup up down test test-slow lint typecheck contracts i18n manifests deploy-check bench tools

# what this run needs (deploy/bin/check-prerequisites): up's runtimes and ports, test's tools
PREREQUISITES := $(if $(filter up,$(MAKECMDGOALS)),up,$(if $(filter test test-slow deploy-check bench,$(MAKECMDGOALS)),test,base))

help:
	@echo "make up | down | test | test-slow | lint | typecheck | contracts | manifests | deploy-check | bench"

prerequisites:  ## says what is missing (Python, uv or pip, Node/npm, Java/Maven or Docker, Go, ports), before anything starts
	@deploy/bin/check-prerequisites $(PREREQUISITES)

$(UV): | prerequisites
	python3 -m pip install --quiet --user "uv==$(UV_VERSION)" || python3 -m pip install --quiet "uv==$(UV_VERSION)"

setup: prerequisites $(UV) web/node_modules/.package-lock.json  ## the locked Python environment (.venv) and the DSFR assets
	$(UV) sync --locked --quiet

web/node_modules/.package-lock.json: web/package-lock.json | prerequisites  # the pages' look (DSFR), from npm
	cd web && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

up: setup  ## Kafka, the document store, the topics, the four services, the observatory and demo data
	deploy/bin/stack-up

down:  ## stop the services, the document store and Kafka (data stays in .run/)
	deploy/bin/stack-down

lint: setup
	$(UV) run --no-sync ruff check .
	$(UV) run --no-sync ruff format --check .
	$(UV) run --no-sync lint-imports

typecheck: setup
	$(UV) run --no-sync mypy services

contracts: setup  ## regenerate the JSON Schemas and the AsyncAPI document
	$(UV) run --no-sync python -m entraide.contracts.generate
	$(UV) run --no-sync python -m entraide.intake.entrypoints.partner_schema

i18n: setup  ## extract the public pages' messages and update every language's catalog (locales/*/messages.po)
	$(UV) run --no-sync python -m entraide.kit.i18n_catalogs entraide.kit entraide.directory entraide.intake entraide.privacy

manifests: setup  ## regenerate deploy/k8s/base (services, Strimzi KafkaTopics) and docs/configuration.md
	$(UV) run --no-sync python deploy/k8s/generate.py
	$(UV) run --no-sync python deploy/config_reference.py

deploy-check: setup  ## build every Kustomize overlay, validate it (kubeconform) and the compose file
	$(UV) run --no-sync python deploy/k8s/validate.py

tools:  ## test tools from Debian: kcat (partners' Kafka door), chromium (page tests, via Playwright)
	@missing=""; for tool in kcat chromium; do command -v $$tool >/dev/null || missing="$$missing $$tool"; done; \
	if [ -n "$$missing" ]; then apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; fi

test: lint typecheck tools  ## lint, types, then the whole suite against the real Kafka and store
	$(UV) run --no-sync python -m entraide.contracts.generate --check
	$(UV) run --no-sync python -m entraide.intake.entrypoints.partner_schema --check
	$(UV) run --no-sync python deploy/k8s/generate.py --check
	$(UV) run --no-sync python deploy/config_reference.py --check
	$(UV) run --no-sync pytest --ignore=tests/benchmarks -m "not slow"

test-slow: setup tools  ## the long fault tests (broker killed, store killed, services killed, rebalance)
	$(UV) run --no-sync pytest --ignore=tests/benchmarks -m slow

bench: setup  ## every benchmark, then one report: bench/report.md + PNG plots
	rm -f bench/results.jsonl
	$(UV) run --no-sync pytest tests/benchmarks -q -s --timeout=1800
	$(UV) run --no-sync python -m tests.benchmarks.report
