# ICS Tracker: build and test harness.
#
#   make venv    create .venv with the Python named in .python-version and install '.[dev]'
#   make assets  npm ci (when package-lock.json changed), copy CSS/icons and bundle plotly.js into static/vendor/
#   make run     migrate, load reference and demo data, ensure an admin user, then runserver on 127.0.0.1:8000
#   make worker  a Celery worker for board summaries (needs CELERY_BROKER_URL, e.g. a local Redis)
#   make test    run pytest against a throwaway PostgreSQL cluster (scripts/with-postgres)
#   make bench   time the pages at national scale, the largest system's members download at 10x data, their throughput under gunicorn beside a plain-template baseline, cold against warm, page weights, the national practice import, the all-systems board summary PDF and the real A&E load (PostgreSQL)
#   make lint    ruff check + ruff format --check
#   make clean   remove .venv, db.sqlite3 and staticfiles
#
# Extra pytest arguments: make test PYTEST_ARGS='-k designation -x'; PYTEST_WORKERS=0 for one process.
# Hypothesis runs 25 examples a property unless HYPOTHESIS_PROFILE=ci (100) or thorough (1000).

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV        := .venv
VENV_STAMP  := $(VENV)/.installed
# scripts/build-assets rebuilds static/vendor/ whole; the stamp inside it records a good build.
ASSETS_STAMP := static/vendor/.built
PY          := $(VENV)/bin/python
MANAGE      := $(PY) manage.py
# .python-version names the interpreter ("3.12"); PYTHON_MM is its major.minor.
PYTHON_VERSION := $(or $(strip $(shell cat .python-version 2>/dev/null)),3.12)
PYTHON_MM      := $(shell echo '$(PYTHON_VERSION)' | cut -d. -f1-2)

# pyenv, if present (on PATH or in its default home).
PYENV ?= $(shell command -v pyenv 2>/dev/null || { test -x "$$HOME/.pyenv/bin/pyenv" && echo "$$HOME/.pyenv/bin/pyenv"; })

PYTEST_ARGS ?=
# pytest-xdist workers (each with its own test database); 0 runs in one process.
PYTEST_WORKERS ?= auto
RUNSERVER_ADDR ?= 127.0.0.1:8000

# Development checkout: settings.py refuses to start with DJANGO_DEBUG unset and no
# DJANGO_SECRET_KEY, so run and test default to debug mode (a per-checkout random key
# in var/). An explicit DJANGO_DEBUG in the environment or on the command line wins.
export DJANGO_DEBUG ?= 1

# --- `make run` setup hook -------------------------------------------------
# Commands run, one per line and in order, before runserver. Extend here, e.g.
#   $(MANAGE) load_demo_data
#   npm ci
# Uses the SQLite default: DATABASE_URL is deliberately not set.
define RUN_SETUP_COMMANDS
$(MANAGE) migrate --noinput
$(MANAGE) load_reference_data
$(MANAGE) load_demo_data
$(MANAGE) ensure_admin
endef

.PHONY: help venv assets run worker test bench lint clean

help:
	@sed -n 's/^#   make /  make /p' $(MAKEFILE_LIST)

venv: $(VENV_STAMP)

$(VENV_STAMP): pyproject.toml
	@set -euo pipefail; \
	base=""; \
	for cand in "$$( [ -n "$(PYENV)" ] && "$(PYENV)" which python 2>/dev/null || true)" \
	            "$$(command -v python$(PYTHON_MM) 2>/dev/null || true)"; do \
	  if [ -n "$$cand" ] && [ "$$("$$cand" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" = "$(PYTHON_MM)" ]; then \
	    base="$$cand"; break; fi; \
	done; \
	if [ -z "$$base" ]; then \
	  echo "error: Python $(PYTHON_MM) not found (tried 'pyenv which python' and python$(PYTHON_MM))" >&2; exit 1; fi; \
	if [ -x "$(PY)" ] && [ "$$("$(PY)" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" != "$(PYTHON_MM)" ]; then \
	  echo "$(VENV) is not Python $(PYTHON_MM); recreating it"; rm -rf "$(VENV)"; fi; \
	if [ ! -x "$(PY)" ]; then echo "creating $(VENV) with $$base"; "$$base" -m venv "$(VENV)"; fi
	$(VENV)/bin/pip install -e '.[dev]'
	touch $@

assets: $(ASSETS_STAMP)

$(ASSETS_STAMP): package.json package-lock.json scripts/build-assets
	scripts/build-assets
	touch $@

run: venv assets
	$(RUN_SETUP_COMMANDS)
	$(MANAGE) runserver $(RUNSERVER_ADDR)

# Background work with a broker: run `make run` and this, both with the same
# CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/0) in the environment.
worker: venv
	@test -n "$$CELERY_BROKER_URL" || { echo "set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/0)" >&2; exit 1; }
	$(VENV)/bin/celery -A ics_tracker worker --loglevel=info

test: venv assets
	scripts/with-postgres $(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Production settings (DEBUG off, a throwaway random key) so templates and static files run
# as they would when deployed; a throwaway PostgreSQL like `make test`. The benchmark's client
# speaks plain HTTP to the app, so the HTTPS redirect is off for it.
bench: venv assets
	@set -euo pipefail; \
	key=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))'); \
	export DJANGO_DEBUG=0 DJANGO_SECRET_KEY="$$key" DJANGO_SECURE_SSL_REDIRECT=0; \
	$(MANAGE) collectstatic --noinput -v0; \
	scripts/with-postgres bash -c '$(MANAGE) bench_pages $(BENCH_ARGS) && $(MANAGE) bench_exports && $(MANAGE) bench_throughput && $(MANAGE) bench_import && $(MANAGE) bench_board_summary && $(MANAGE) bench_real_ae'

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
