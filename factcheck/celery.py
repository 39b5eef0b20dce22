"""The Celery app. Configuration lives in settings under the CELERY_ namespace."""

import os

from celery import Celery
from celery.signals import task_postrun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

app = Celery("factcheck")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["worker"])


@task_postrun.connect
def drop_broken_db_connections(**kwargs) -> None:
    """Closes a database connection that failed during the task and no longer answers.

    Workers keep connections across tasks (CELERY_DB_REUSE_MAX), and then Celery's Django
    fix-up no longer checks them: without this, a database restart would fail every task a
    worker runs until its connection is recycled. One health query, only after an error.
    """
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        if conn.connection is not None and conn.errors_occurred:
            if conn.in_atomic_block or not conn.is_usable():
                conn.close()
            else:
                conn.errors_occurred = False
