"""Fixtures of every folder: the data folder bootstrap would make, a real Celery worker
thread on the configured broker (one per session), users per role, loopback helpers.

tests/unit/ runs without database, network or broker; tests/integration/ uses PostgreSQL,
Redis, the worker and loopback servers; tests/e2e/ drives Chromium. Each folder's conftest
says what it allows."""

from __future__ import annotations

import ipaddress
import socket

import pytest
from celery.contrib.testing.worker import start_worker
from celery.worker import state as worker_state
from django.contrib.auth.models import Group

from factcheck.celery import app as celery_app
from tests.broker import QUEUES, purge
from tests.search_server import search_api  # noqa: F401 - fixture
from tests.waiting import wait_for
from tests.webserver import web, web_server  # noqa: F401 - fixtures
from worker.fetching import addresses


def pytest_configure(config):
    """What `manage.py bootstrap` makes in an installation, made in the tests' data folder
    (FACTCHECK_DATA_DIR): importing settings creates nothing."""
    from factcheck.datadir import prepare_data_dir

    prepare_data_dir()


def pytest_collection_modifyitems(config, items):
    """A marker per folder: `-m unit`, `-m integration`, `-m e2e`."""
    for item in items:
        folder = item.path.parent.name
        if folder in ("unit", "integration", "e2e"):
            item.add_marker(folder)


def _consume(worker, on: bool) -> None:
    for name in QUEUES:
        if on:
            worker.consumer.add_task_queue(name)
        else:
            worker.consumer.cancel_task_queue(name)


@pytest.fixture(scope="session")
def _session_celery_worker(django_db_setup):
    """One real worker for the whole run, in a thread, on the real broker (starting and
    stopping one per test cost about 80 s of the suite). It consumes only while a test
    holds `celery_worker`: elsewhere queued tasks wait, as they would with no worker."""
    purge()
    # Close the worker thread's connections after each task, so none outlives the test
    # database (production reuses them: CELERY_DB_REUSE_MAX).
    for fixup in getattr(celery_app, "_fixups", []):
        if hasattr(fixup, "worker_fixup"):
            fixup.worker_fixup.db_reuse_max = None
    with start_worker(
        celery_app,
        pool="solo",
        concurrency=1,
        perform_ping_check=False,
        queues=QUEUES,
        shutdown_timeout=30,
    ) as worker:
        _consume(worker, False)
        yield worker


@pytest.fixture
def celery_worker(transactional_db, _session_celery_worker):
    """The session's worker, consuming every queue for this test: the broker is emptied
    before, and after the test the worker finishes what it took and stops consuming before
    the tables are emptied.

    transactional_db: the worker's own connection must see committed rows.
    """
    purge()
    _consume(_session_celery_worker, True)
    yield _session_celery_worker
    _consume(_session_celery_worker, False)
    # Work the test left for later (a retry's countdown) is dropped, not waited for.
    for request in list(worker_state.scheduled_requests):
        worker_state.revoked.add(request.id)  # should its timer fire anyway, it does not run
        entry = getattr(request, "_eta_timer_entry", None)
        if entry is not None:
            entry.cancel()
        worker_state.scheduled_requests.discard(request)
    wait_for(lambda: not (worker_state.active_requests or worker_state.reserved_requests), 120)
    purge()


def _user(django_user_model, username: str, *groups: str):
    user = django_user_model.objects.create_user(username=username, password="pw-" + username)
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


@pytest.fixture
def reviewer(db, django_user_model):
    return _user(django_user_model, "rita", "reviewers")


@pytest.fixture
def editor(db, django_user_model):
    return _user(django_user_model, "ed", "editors")


@pytest.fixture
def reader(db, django_user_model):
    return _user(django_user_model, "reada")


@pytest.fixture
def loopback_allowed(settings):
    """The outside world is a loopback server here: lift the SSRF block, no politeness wait."""
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = True
    settings.FACTCHECK_FETCH_DOMAIN_DELAY = 0


@pytest.fixture(scope="session")
def no_session_outlives_the_test_database(django_db_setup, django_db_blocker):
    """Ends connections that threads of live servers or workers left open, so the test
    database can be dropped at the end of the run."""
    yield
    with django_db_blocker.unblock():
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


@pytest.fixture
def fast_passwords(settings):
    """Tests that sign many users in: a cheap hasher (never in production)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def sent(monkeypatch):
    """Tasks the domain would queue, recorded instead of sent (no worker in these tests)."""
    from claims import queue

    sent = []
    monkeypatch.setattr(queue, "enqueue", lambda name, *a, **kw: sent.append((name, a, kw)))
    return sent


@pytest.fixture
def fake_dns(monkeypatch):
    """Our resolver answers from a table; the system resolver must never be asked."""
    answers: dict[str, list[list[str]]] = {}
    calls: list[str] = []

    def resolve(host: str, port: int):
        calls.append(host)
        queue = answers[host]
        records = queue.pop(0) if len(queue) > 1 else queue[0]
        return [ipaddress.ip_address(ip) for ip in records]

    def no_system_dns(host, *args, **kwargs):
        try:
            ipaddress.ip_address(str(host).strip("[]"))
        except ValueError:
            raise AssertionError(f"system DNS asked for {host}") from None
        return real_getaddrinfo(host, *args, **kwargs)

    real_getaddrinfo = socket.getaddrinfo
    monkeypatch.setattr(addresses, "resolve", resolve)
    monkeypatch.setattr(socket, "getaddrinfo", no_system_dns)
    return answers, calls


@pytest.fixture
def sent_tasks(monkeypatch):
    """Tasks handed to the broker (after commit), recorded as (name, args, kwargs) instead of
    sent: these tests have no worker; the journey and discovery tests run a real one."""
    from claims import queue

    sent: list[tuple[str, tuple, dict]] = []

    def record(name, args=(), kwargs=None, **options):
        sent.append((name, tuple(args), dict(kwargs or {})))

    monkeypatch.setattr(queue.current_app, "send_task", record)
    return sent
