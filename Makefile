# charterdesk: the two commands a newcomer needs are `make run` and `make test`.
#
# Stamps (files touched when a step succeeds) keep repeated runs quick: the
# virtualenv is rebuilt only when a requirements file changes, node_modules
# only when package.json or its lock changes, catalogues only when a .po changes.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON3 ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP_PY := $(VENV)/.installed
STAMP_NODE := node_modules/.installed
STAMP_MO := var/.messages-compiled
# Extra arguments for pytest, e.g. `make test PYTEST_ARGS="-x tests/tickets"`.
PYTEST_ARGS ?=
# Two workers: the machines this runs on have two cores.
PYTEST_WORKERS ?= -n 2
# Folders that are not ours to translate (and makemessages/compilemessages would walk).
I18N_IGNORE := --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=var \
	--ignore=media --ignore=tests --ignore=bench --ignore=test-artifacts
CATALOGUES := locale/ko/LC_MESSAGES/django.po locale/en/LC_MESSAGES/django.po

.PHONY: help setup deps run db test e2e bench messages compilemessages check clean

help:
	@echo "make run       set up (venv, npm, catalogues, migrate, demo data) and start web + worker + beat"
	@echo "make test      the whole test suite (SQLite; PostgreSQL when DATABASE_URL is set)"
	@echo "make e2e       only the browser journeys (headless Chromium)"
	@echo "make setup     everything 'run' does except starting the processes"
	@echo "make messages  extract strings into locale/{ko,en} and compile them"
	@echo "make check     ruff, import contracts (the floors), migrations, catalogues, check --deploy"
	@echo "make bench     benchmarks (python -m bench), one JSON line per measured item"

$(PY):
	$(PYTHON3) -m venv $(VENV)

$(STAMP_PY): requirements.txt requirements-dev.txt requirements-ldap.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	@if [ -f /usr/include/ldap.h ] && [ -f /usr/include/sasl/sasl.h ] || [ "$${CI:-}" = true ]; then \
		$(PY) -m pip install --disable-pip-version-check -q -r requirements-ldap.txt; \
	else \
		echo "note: directory sign-in (LDAP) not installed: it needs libldap2-dev and libsasl2-dev (see README)"; \
	fi
	touch $@

# Bootstrap, htmx and Chart.js are served from node_modules via STATICFILES_DIRS.
# --ignore-scripts: these packages need no install scripts, so none run.
$(STAMP_NODE): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

# With no .po files yet this records that there was nothing to compile.
$(STAMP_MO): $(wildcard locale/*/LC_MESSAGES/*.po) | $(STAMP_PY)
	@mkdir -p var
	@if ls locale/*/LC_MESSAGES/*.po >/dev/null 2>&1; then \
		$(PY) manage.py compilemessages $(I18N_IGNORE) -v 0; \
	else \
		echo "No .po catalogues yet: nothing to compile."; \
	fi
	touch $@

deps: $(STAMP_PY) $(STAMP_NODE) $(STAMP_MO)

# migrate and seed_demo are idempotent, so they run every time (a second or two).
db: deps
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py seed_demo

setup: db

# The Procfile's commands find python and celery on PATH.
run: setup
	@echo "charterdesk: http://127.0.0.1:8000/  (demo logins in README.md; Ctrl-C stops everything)"
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/honcho start -f Procfile

test: deps
	$(PY) -m pytest $(PYTEST_WORKERS) $(PYTEST_ARGS)

e2e: deps
	$(PY) -m pytest -m e2e tests/e2e $(PYTEST_ARGS)

# Every scenario in turn (or BENCH_SCENARIOS="pages ..."), one JSON line per item,
# against DATABASE_URL; e.g. make bench BENCH_ARGS="--tickets 1000000".
BENCH_SCENARIOS ?=
BENCH_ARGS ?=
bench: deps
	$(PY) manage.py migrate --noinput -v 0
	@scenarios="$(BENCH_SCENARIOS)"; [ -n "$$scenarios" ] || scenarios=$$($(PY) -m bench list); \
	for s in $$scenarios; do $(PY) -m bench $$s $(BENCH_ARGS); done

# Locations stay off to keep diffs of the catalogues small. Korean has one
# plural form, but makemessages leaves an empty msgstr[1] in new entries that
# `msgfmt -c` rejects; the awk drops it (and any continuation lines).
messages: $(STAMP_PY)
	$(PY) manage.py makemessages -l ko -l en --no-location --no-obsolete $(I18N_IGNORE)
	@po=locale/ko/LC_MESSAGES/django.po; if [ -f $$po ]; then \
		awk '/^msgstr\[[1-9][0-9]*\] / {skip=1; next} skip && /^"/ {next} {skip=0; print}' $$po > $$po.tmp \
		&& mv $$po.tmp $$po; fi
	$(MAKE) compilemessages

compilemessages: $(STAMP_PY)
	rm -f $(STAMP_MO)
	$(MAKE) $(STAMP_MO)

# Production settings for check --deploy: DEBUG off, a long random key, a real host.
check: deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run
	@for po in $(CATALOGUES); do \
		if [ -f "$$po" ]; then \
			stats=$$(msgfmt -c --statistics -o /dev/null "$$po" 2>&1) || { echo "$$stats"; exit 1; }; \
			echo "$$po: $$stats"; \
			case "$$stats" in *untranslated*|*fuzzy*|*warning*) echo "ERROR: $$po is not complete and clean"; exit 1;; esac; \
		else echo "ERROR: $$po is missing (run 'make messages')"; exit 1; fi; \
	done
	@# The catalogues must hold every string the code marks: extract afresh over
	@# the committed files, compare, and put the committed files back.
	@tmp=$$(mktemp -d); \
	for po in $(CATALOGUES); do mkdir -p "$$tmp/$$(dirname "$$po")"; cp "$$po" "$$tmp/$$po"; done; \
	restore() { for po in $(CATALOGUES); do cp "$$tmp/$$po" "$$po"; done; rm -rf "$$tmp"; }; \
	trap restore EXIT; \
	$(PY) manage.py makemessages -l ko -l en --no-location $(I18N_IGNORE) -v 0; \
	for po in $(CATALOGUES); do \
		msgcmp "$$tmp/$$po" "$$po" || { echo "ERROR: $$po lacks strings the code marks for translation: run 'make messages' and translate them"; exit 1; }; \
	done; \
	echo "The catalogues hold every string the code marks for translation."
	DEBUG=false ALLOWED_HOSTS=charterdesk.example.com \
		SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
		$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(STAMP_PY) $(STAMP_NODE) $(STAMP_MO) staticfiles test-artifacts
