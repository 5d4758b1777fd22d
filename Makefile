# Everything a fresh machine needs: `make run` serves the site, `make test` runs the suite.
# Installs come from uv.lock (exact versions with hashes), through a uv of a pinned version
# installed from PyPI, with the system's Python: uv never downloads one.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BOOTSTRAP := .venv-bootstrap
UV_VERSION := 0.13.9
UV := $(BOOTSTRAP)/bin/uv
HOST ?= 127.0.0.1
PORT ?= 8000
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# --frozen: exactly what uv.lock says, never re-resolved. Running needs the PostgreSQL and
# Redis clients; the development group (pytest, Playwright, ruff…) only comes with `make test`.
SYNC := $(UV) sync --frozen --python $(PYTHON) --extra postgres --extra redis

.PHONY: install install-dev lock run release serve test lint format import messages bench \
	lighthouse backup clean

$(UV):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
		echo "Python 3.11 or newer is needed; $(PYTHON) is $$($(PYTHON) --version 2>&1)." \
			"Run with PYTHON=python3.12 (for example)." >&2; exit 1; }
	$(PYTHON) -m venv $(BOOTSTRAP)
	$(BOOTSTRAP)/bin/python -m pip install --quiet "uv==$(UV_VERSION)"

# What running needs. --inexact keeps the development tools of a development machine, so that
# switching to `make test` reinstalls nothing; `make release` installs exactly the lock.
install: $(UV)
	$(SYNC) --no-dev --inexact

install-dev: $(UV)
	$(SYNC)

# After changing pyproject.toml: resolve again and commit uv.lock.
lock: $(UV)
	$(UV) lock --python $(PYTHON)

# The task worker (answers by e-mail) runs beside the development server and stops with it.
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py import_content
	$(BIN)/python manage.py db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Once per deploy, before the app servers (re)start: install from the lock, migrate, collect
# static files, import content/ (README: Production).
release: $(UV)
	$(SYNC) --no-dev
	DJANGO_DEBUG=false $(BIN)/python manage.py release

# One app server with production settings (needs DJANGO_SECRET_KEY; see the README). Nothing
# else runs here, and gunicorn replaces the shell, so a TERM to make (a container stop) reaches it.
serve:
	@test -x $(BIN)/gunicorn || { echo "Nothing installed: run make release first." >&2; exit 1; }
	exec env DJANGO_DEBUG=false GUNICORN_BIND=$${GUNICORN_BIND:-$(HOST):$(PORT)} \
		GUNICORN_ACCESS_LOG=$${GUNICORN_ACCESS_LOG:--} \
		$(BIN)/gunicorn -c guides_site/gunicorn.conf.py guides_site.wsgi

# Throughput, latency, queries, page weight and import time, with the budget (bench/README.md).
bench: install-dev
	@command -v wrk >/dev/null || echo "wrk not found (apt-get install wrk): using the slower Python client"
	$(BIN)/python bench/run.py $(BENCH_ARGS)

test: install-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

import: install
	$(BIN)/python manage.py import_content

# Lighthouse scores of the home, company and guide pages (needs npm and Debian's chromium).
lighthouse: install-dev
	cd bench && npm install --no-audit --no-fund --silent
	$(BIN)/python bench/lighthouse.py

# A consistent copy of the live database in backups/ (restore: see the README).
backup: install
	$(BIN)/python manage.py backup_db

# Rebuild the French catalogue after changing interface strings (needs GNU gettext).
messages: install-dev
	$(BIN)/python manage.py makemessages --locale fr --ignore ".venv/*" --ignore "bench/*"
	$(BIN)/python manage.py compilemessages --locale fr --ignore ".venv"

clean:
	rm -rf $(VENV) $(BOOTSTRAP) staticfiles .pytest_cache .ruff_cache
