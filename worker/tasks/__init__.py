"""Celery tasks, one module per queue. Tasks are thin: load ids, call a function, retry."""

from . import discover, fetch, maintenance, recheck, score  # noqa: F401
