# Set-up and everyday commands. `make run` and `make test` do all set-up on a fresh machine.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run serve setup demo test lint worker beat migrations-check bench loadtest compose-check audit browser clean

# Install into the virtualenv only when the requirements changed since the last install.
$(VENV)/.installed-runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed-runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

## run: install, migrate, load regions + demo data and users, serve on 127.0.0.1:$(PORT)
run: setup
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

setup: $(VENV)/.installed-runtime
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_regions
	$(PY) manage.py load_demo

SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

## test: the whole suite on the database of the environment (SQLite unless DATABASE_URL is set);
## the browser tests (tests/e2e) need Debian's chromium and chromium-driver, installed here when missing
test: $(VENV)/.installed-dev browser
	DJANGO_SETTINGS_MODULE=desmigratif.settings.test $(PY) -m pytest

browser:
	@command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 || { \
	  echo "installing chromium + chromedriver (Debian packages)"; \
	  $(SUDO) apt-get install -y -qq chromium chromium-driver >/dev/null 2>&1 || \
	  { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium chromium-driver; }; }

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .

migrations-check: $(VENV)/.installed-runtime
	$(PY) manage.py makemigrations --check --dry-run

## worker / beat: Celery processes (need REDIS_URL; without it tasks run eagerly in the web process)
worker: $(VENV)/.installed-runtime
	$(VENV)/bin/celery -A desmigratif worker --loglevel=INFO

beat: $(VENV)/.installed-runtime
	$(VENV)/bin/celery -A desmigratif beat --loglevel=INFO

## bench: gunicorn + wrk and the timed report, rebuild and imports on PostgreSQL at BENCH_SIZES PMI
## (default "50000 5000000"; databases desmigratif_bench_<size>, made once); table in bench/results/latest.md
bench: $(VENV)/.installed-dev
	@command -v wrk >/dev/null 2>&1 || { echo "installing wrk (Debian package)"; \
	  $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq wrk >/dev/null 2>&1 || \
	  { $(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq && \
	    $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq wrk; }; }
	$(PY) -m bench.run

## loadtest: 50 logged-in clients for 60 s (Locust) against gunicorn on loopback, PostgreSQL desmigratif_loadtest
## + Redis db 13; 0 errors and every write found, or it fails; table in bench/results/load-latest.md
loadtest: $(VENV)/.installed-dev
	$(PY) -m bench.loadtest

## compose-check: docker-compose.yml resolves with the variables of .env.example (Debian's docker-compose)
compose-check:
	bash deploy/compose-check

## audit: the pinned requirements against known vulnerabilities (pip-audit; security/pip-audit-ignore.txt)
audit: $(VENV)/.installed-dev
	bash security/pip-audit

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
