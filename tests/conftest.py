"""Shared fixtures: a real Celery worker thread on the configured broker, users per role."""

from __future__ import annotations

import contextlib
import ipaddress
import socket

import pytest
from celery.contrib.testing.worker import start_worker
from django.contrib.auth.models import Group

from factcheck.celery import app as celery_app
from tests.search_server import search_api  # noqa: F401 - fixture
from tests.webserver import web, web_server  # noqa: F401 - fixtures
from worker.fetching import addresses

QUEUES = ["default", "discover", "fetch", "score", "recheck"]


def _purge_broker() -> None:
    with celery_app.connection_for_write() as conn:
        for name in QUEUES:
            # A queue that was never declared has nothing to purge.
            with contextlib.suppress(Exception):
                conn.default_channel.queue_purge(name)


@pytest.fixture
def celery_worker(transactional_db):
    """A real worker consuming every queue from the real broker, in a thread.

    transactional_db: the worker's own connection must see committed rows.
    """
    _purge_broker()
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
        yield worker


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


@pytest.fixture(scope="session", autouse=True)
def _no_session_outlives_the_test_database(django_db_setup, django_db_blocker):
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
