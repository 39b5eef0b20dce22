"""The test broker's queues and the in-process worker's state, for fixtures and waits."""

from __future__ import annotations

import contextlib

from celery.worker import state as worker_state

from factcheck.celery import app as celery_app

QUEUES = ["default", "discover", "fetch", "score", "recheck"]


def purge() -> None:
    """Empties every queue of the configured broker."""
    with celery_app.connection_for_write() as conn:
        for name in QUEUES:
            # A queue that was never declared has nothing to purge.
            with contextlib.suppress(Exception):
                conn.default_channel.queue_purge(name)


def queued_messages() -> int:
    """Messages waiting in the broker's queues."""
    with celery_app.connection_for_write() as conn:
        total = 0
        for name in QUEUES:
            try:
                total += conn.default_channel.queue_declare(name, passive=True).message_count
            except Exception:  # noqa: BLE001 - never declared: empty
                continue
        return total


def worker_idle() -> bool:
    """The in-process worker runs no task and holds none (reserved or waiting for its eta)."""
    return not (
        worker_state.active_requests
        or worker_state.reserved_requests
        or worker_state.scheduled_requests
    )
