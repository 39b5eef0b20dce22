"""Browser tests: a real Chromium (Playwright) against a live server, on PostgreSQL, Redis
and the session's Celery worker thread (tests/conftest.py: celery_worker)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session", autouse=True)
def _no_session_outlives_the_test_database(no_session_outlives_the_test_database):
    """Sessions that live-server or worker threads left open end before the test database
    is dropped."""
    yield
