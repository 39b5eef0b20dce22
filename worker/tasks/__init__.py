"""Celery tasks, one module per queue. Tasks are thin: load ids, call a function, retry."""

from . import maintenance  # noqa: F401
