"""The workers `make run` starts: every queue consumed, fetch threads split over processes."""

from __future__ import annotations

from claims.management.commands.runservice import worker_commands
from factcheck.celery import app


def _option(command: list[str], flag: str) -> str:
    return command[command.index(flag) + 1]


def test_the_default_workers_consume_every_queue_with_fetchers_on_threads():
    commands = worker_commands()
    queues = {q for c in commands.values() for q in _option(c, "-Q").split(",")}
    assert queues == {q.name for q in app.conf.task_queues}
    fetchers = [c for name, c in commands.items() if name.startswith("fetcher")]
    assert len(fetchers) == 2
    assert all(_option(c, "--pool") == "threads" for c in fetchers)
    assert sum(int(_option(c, "--concurrency")) for c in fetchers) == 16
    names = [_option(c, "-n") for c in commands.values()]
    assert len(set(names)) == len(names)  # Celery needs distinct node names on one host


def test_fetch_threads_are_split_over_processes_without_losing_any():
    commands = worker_commands(fetch_concurrency=15, fetch_processes=2)
    assert [_option(c, "--concurrency") for n, c in commands.items() if n != "worker"] == ["8", "7"]
    single = worker_commands(fetch_concurrency=4, fetch_processes=1)
    assert _option(single["fetcher"], "--concurrency") == "4"
    # Never more processes than threads.
    assert len(worker_commands(fetch_concurrency=1, fetch_processes=4)) == 2
