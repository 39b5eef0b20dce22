"""The Celery app. Configuration lives in settings under the CELERY_ namespace."""

import os

from celery import Celery, Task
from celery.signals import task_postrun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

# How soon a task that failed on a dead database connection runs again, on a new one.
DB_RETRY_COUNTDOWN = 1.0


def close_broken_db_connections() -> None:
    """Closes every database connection of this thread that no longer answers (or is stuck
    in a failed transaction), so the next query opens a new one."""
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        if conn.connection is not None and conn.errors_occurred:
            if conn.in_atomic_block or not conn.is_usable():
                conn.close()
            else:
                conn.errors_occurred = False


class DatabaseRetryTask(Task):
    """Every task: one that fails because its database connection died (a database
    restart, an idle connection killed) closes the connection and is retried, instead of
    failing once on each worker process that held such a connection."""

    def __call__(self, *args, **kwargs):
        from django.db import InterfaceError, OperationalError

        try:
            return super().__call__(*args, **kwargs)
        except (OperationalError, InterfaceError) as exc:
            if self.request.called_directly or self.request.is_eager:
                raise
            close_broken_db_connections()
            raise self.retry(exc=exc, countdown=DB_RETRY_COUNTDOWN) from exc


app = Celery("factcheck", task_cls=DatabaseRetryTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["worker"])


@task_postrun.connect
def drop_broken_db_connections(**kwargs) -> None:
    """Closes a database connection that failed during the task and no longer answers.

    Workers keep connections across tasks (CELERY_DB_REUSE_MAX), and then Celery's Django
    fix-up no longer checks them: without this, a database restart would fail every task a
    worker runs until its connection is recycled. One health query, only after an error.
    """
    close_broken_db_connections()
