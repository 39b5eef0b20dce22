"""Workers keep database connections across tasks; a broken one must not outlive its task."""

from __future__ import annotations

import psycopg
import pytest
from django.db import OperationalError, connection

from factcheck.celery import drop_broken_db_connections

pytestmark = pytest.mark.django_db(transaction=True)


def _terminate(pid: int) -> None:
    params = connection.get_connection_params()
    with psycopg.connect(**{**params, "dbname": "postgres"}, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="terminates a PostgreSQL backend")
def test_a_connection_killed_under_a_task_is_replaced_for_the_next_task():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    _terminate(connection.connection.info.backend_pid)
    with pytest.raises(OperationalError), connection.cursor() as cursor:
        cursor.execute("SELECT 1")  # the task that meets the restart fails

    drop_broken_db_connections()

    assert connection.connection is None
    with connection.cursor() as cursor:  # the next task reconnects
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_a_healthy_connection_is_kept_after_a_query_error():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    kept = connection.connection
    with pytest.raises(Exception), connection.cursor() as cursor:  # noqa: B017, PT011
        cursor.execute("SELECT * FROM no_such_table")

    drop_broken_db_connections()

    assert connection.connection is kept
    assert not connection.errors_occurred
