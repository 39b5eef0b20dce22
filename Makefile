# The two commands: `make run` (the service) and `make test` (the whole suite).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Tests use the real PostgreSQL and Redis; override to point elsewhere. Connections are not
# kept between requests in tests, so none outlives the test database.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/factcheck
TEST_BROKER_URL ?= redis://127.0.0.1:6379/15

.PHONY: run test lint format install install-dev clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
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
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} \
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-$(TEST_BROKER_URL)} \
	FACTCHECK_DATA_DIR=$(CURDIR)/var/test FACTCHECK_DB_CONN_MAX_AGE=0 \
	$(PY) -m pytest $(PYTEST_ARGS)
	@echo "--- second pass: embedded defaults (SQLite + filesystem broker) ---"
	rm -rf $(CURDIR)/var/test-embedded
	env -u DATABASE_URL -u CELERY_BROKER_URL FACTCHECK_DATA_DIR=$(CURDIR)/var/test-embedded \
	$(PY) -m pytest -m embedded $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports

format: $(VENV)/.installed-dev
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

clean:
	rm -rf var/test var/test-embedded
