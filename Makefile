# Dyade: `make run` starts a demo practice on SQLite; `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export DYADE_LOCAL ?= 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test check pytest setup-run setup-test system-deps pdf-deps messages clean bench bench-dyadic bench-export bench-load bench-brief bench-progress

$(VENV)/.created:
	@$(PYTHON) -c "import sys; assert sys.version_info >= (3, 11)" || { echo "Dyade needs Python 3.11 or newer"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	@touch $@

$(VENV)/.runtime: $(VENV)/.created requirements.txt
	$(PIP) install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	@touch $@

## Only what reports as PDF need (make run uses it; make test installs it with the rest).
pdf-deps:
	@missing=""; \
	for deb in $(PDF_DEBS); do \
	  dpkg-query -W -f='$${Status}' $$deb 2>/dev/null | grep -q "ok installed" || missing="$$missing $$deb"; \
	done; \
	if [ -n "$$missing" ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian packages for PDF reports:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

setup-run: $(VENV)/.runtime pdf-deps
	$(PY) manage.py migrate --noinput -v0

## Set up, seed the demo practice (once), print the demo logins, serve on 127.0.0.1:8000.
run: setup-run
	$(PY) manage.py seed_demo
	@echo "Dyade runs on http://127.0.0.1:8000/  (Ctrl-C stops it)"
	$(PY) manage.py runserver 127.0.0.1:8000 --noreload

## Debian packages the tests need: Chromium for the browser journeys, gettext for translations,
## and what WeasyPrint needs to make reports as PDF (Pango, HarfBuzz's subsetter, a font).
PDF_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
system-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	for deb in $(PDF_DEBS); do \
	  dpkg-query -W -f='$${Status}' $$deb 2>/dev/null | grep -q "ok installed" || missing="$$missing $$deb"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

setup-test: $(VENV)/.dev system-deps

## Everything: lint, types, import layers, translations, unit, view and browser tests.
test: setup-test check pytest

check:
	$(VENV)/bin/ruff check dyade tests bench
	$(VENV)/bin/ruff format --check dyade tests bench
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py compilemessages -v0
	$(PY) manage.py makemigrations --check --dry-run -v0

pytest:
	$(VENV)/bin/pytest $(PYTEST_ARGS)

## Refresh the translation catalogues after changing user-facing text.
messages: setup-test
	$(PY) manage.py makemessages -l nl -l en --no-obsolete --no-location -v0
	$(PY) manage.py compilemessages -v0

## Every speed target of issue 16, each as a ratio against a baseline measured in the same run.
bench: $(VENV)/.dev
	$(PY) bench/run.py
	$(PY) bench/load.py
	$(PY) bench/dyadic.py
	$(PY) bench/export.py
	$(PY) bench/brief.py
	$(PY) bench/progress.py

bench-dyadic: $(VENV)/.dev
	$(PY) bench/dyadic.py

bench-export: $(VENV)/.dev
	$(PY) bench/export.py

## The progress page of a case with 40 sessions against its case page.
bench-progress: $(VENV)/.dev
	$(PY) bench/progress.py

## The session brief against the case page, and against itself with two years of diary.
bench-brief: $(VENV)/.dev
	$(PY) bench/brief.py

## gunicorn (4 workers) under 32 clients: bare views and the diary submit; BENCH_LOAD_POSTGRES=1
## with DATABASE_URL=postgres://… runs it on PostgreSQL.
bench-load: $(VENV)/.dev
	$(PY) bench/load.py

clean:
	rm -rf $(VENV) .local db.sqlite3 db.sqlite3-* staticfiles tests/e2e/screenshots
