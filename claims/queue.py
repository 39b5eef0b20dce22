"""The one place the domain hands work to Celery: by task name, after commit.

claims never imports worker code; the worker registers these names.
"""

from __future__ import annotations

from typing import Any

from celery import current_app
from django.db import transaction

INGEST_URL = "worker.tasks.discover.ingest_url"
INGEST_TEXT = "worker.tasks.discover.ingest_text"
DISCOVER_CLAIM = "worker.tasks.discover.discover_claim"
DISCOVER_CLAIMS = "worker.tasks.discover.discover_claims"
FETCH_SOURCE = "worker.tasks.fetch.fetch_source"
FETCH_ARCHIVED_COPY = "worker.tasks.fetch.fetch_archived_copy"
SCORE_SOURCE = "worker.tasks.score.score_source"
RECHECK_SOURCE = "worker.tasks.recheck.recheck_source"


def enqueue(task_name: str, *args: Any, priority: int | None = None, **kwargs: Any) -> None:
    """Send a task once the current transaction commits, so its rows exist when it runs."""
    options: dict[str, Any] = {}
    if priority is not None:
        options["priority"] = priority

    def send() -> None:
        current_app.send_task(task_name, args=args, kwargs=kwargs, **options)

    transaction.on_commit(send)
