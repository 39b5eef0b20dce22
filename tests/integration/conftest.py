"""Tests on the real parts: PostgreSQL, Redis, one Celery worker thread for the session
(tests/conftest.py: celery_worker) and loopback servers for the outside world."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session", autouse=True)
def _no_session_outlives_the_test_database(no_session_outlives_the_test_database):
    """Sessions that live-server or worker threads left open end before the test database
    is dropped."""
    yield
