# Everything a fresh machine needs: `make run` serves the site, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run serve test lint format import messages bench lighthouse backup clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25.1"
	$(BIN)/python -m pip install --quiet -e ".[postgres,redis]" --group dev
	touch $@

install: $(INSTALLED)

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py import_content
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production settings under gunicorn (needs DJANGO_SECRET_KEY; see the README).
serve: install
	DJANGO_DEBUG=false $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=false $(BIN)/python manage.py collectstatic --noinput
	DJANGO_DEBUG=false $(BIN)/python manage.py import_content
	DJANGO_DEBUG=false GUNICORN_BIND=$${GUNICORN_BIND:-$(HOST):$(PORT)} \
		GUNICORN_ACCESS_LOG=$${GUNICORN_ACCESS_LOG:--} \
		$(BIN)/gunicorn -c guides_site/gunicorn.conf.py guides_site.wsgi

# Throughput, latency, queries, page weight and import time, with the budget (bench/README.md).
bench: install
	@command -v wrk >/dev/null || echo "wrk not found (apt-get install wrk): using the slower Python client"
	$(BIN)/python bench/run.py $(BENCH_ARGS)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

import: install
	$(BIN)/python manage.py import_content

# Lighthouse scores of the home, company and guide pages (needs npm and Debian's chromium).
lighthouse: install
	cd bench && npm install --no-audit --no-fund --silent
	$(BIN)/python bench/lighthouse.py

# A consistent copy of the live database in backups/ (restore: see the README).
backup: install
	$(BIN)/python manage.py backup_db

# Rebuild the French catalogue after changing interface strings (needs GNU gettext).
messages: install
	$(BIN)/python manage.py makemessages --locale fr --ignore ".venv/*" --ignore "bench/*"
	$(BIN)/python manage.py compilemessages --locale fr --ignore ".venv"

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
