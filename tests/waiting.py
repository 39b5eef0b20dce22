"""Waiting for work done by a real worker, without fixed sleeps."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_for(
    predicate: Callable[[], T], timeout: float = 30.0, interval: float = 0.1, *, fail: bool = True
) -> T:
    """The predicate's first truthy value; on timeout an AssertionError (or, with
    fail=False, its last value)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    value = predicate()
    if fail and not value:
        raise AssertionError(f"condition not met within {timeout}s")
    return value


def wait_until_worker_settled(timeout: float = 30.0) -> None:
    """Until nothing more will happen by itself: the in-process worker holds no task and
    the broker's queues are empty, seen twice in a row (a message between the broker and
    the worker is in neither for an instant)."""
    from tests.broker import queued_messages, worker_idle

    seen: list[bool] = []

    def settled() -> bool:
        seen.append(worker_idle() and queued_messages() == 0)
        return len(seen) >= 2 and seen[-1] and seen[-2]

    wait_for(settled, timeout=timeout)
