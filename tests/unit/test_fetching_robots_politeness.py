"""The per-domain politeness delay: registrable domains, the file backend across processes."""

from __future__ import annotations

import multiprocessing
import time

import pytest

from worker.fetching import (
    clear_robots_cache,
    wait_for_domain_slot,
)
from worker.fetching.politeness import domain_key


@pytest.fixture(autouse=True)
def _fresh_robots_cache():
    clear_robots_cache()
    yield
    clear_robots_cache()


# -- robots.txt


@pytest.mark.parametrize(
    ("host", "key"),
    [
        ("news.bbc.co.uk", "bbc.co.uk"),
        ("WWW.BBC.CO.UK.", "bbc.co.uk"),
        ("a.b.blogspot.com", "b.blogspot.com"),  # a public suffix: each blog on its own
        ("127.0.1.5", "127.0.1.5"),
        ("news.test", "news.test"),
        ("localhost", "localhost"),
    ],
)
def test_politeness_counts_per_registrable_domain(host, key):
    assert domain_key(host) == key


def test_subdomains_share_one_slot(tmp_path):
    kwargs = {"broker_url": "", "data_dir": tmp_path, "sleep": pytest.fail}
    assert wait_for_domain_slot("news.bbc.co.uk", 10, **kwargs)
    assert not wait_for_domain_slot("www.bbc.co.uk", 10, max_wait=1, **kwargs)
    assert wait_for_domain_slot("www.bbc.com", 10, max_wait=1, **kwargs)


# -- politeness, file backend (filesystem broker)


def test_file_slots_are_spaced_by_the_delay(tmp_path):
    waits: list[float] = []
    for _ in range(3):
        assert wait_for_domain_slot(
            "news.example", 0.5, broker_url="filesystem://", data_dir=tmp_path, sleep=waits.append
        )
    # the first call finds the slot free; the next two queue up behind it
    assert waits == [pytest.approx(0.5, abs=0.1), pytest.approx(1.0, abs=0.1)]
    assert (tmp_path / "politeness").is_dir()


def test_first_slot_of_a_domain_is_free(tmp_path):
    waits: list[float] = []
    wait_for_domain_slot("a.example", 5, broker_url="", data_dir=tmp_path, sleep=waits.append)
    wait_for_domain_slot("b.example", 5, broker_url="", data_dir=tmp_path, sleep=waits.append)
    assert waits == []


def test_slot_beyond_max_wait_is_not_reserved(tmp_path):
    sleeps: list[float] = []
    kwargs = {"broker_url": "", "data_dir": tmp_path, "sleep": sleeps.append}
    assert wait_for_domain_slot("news.example", 10, **kwargs)
    assert not wait_for_domain_slot("news.example", 10, max_wait=1, **kwargs)
    assert wait_for_domain_slot("news.example", 10, max_wait=11, **kwargs)
    assert sleeps == [pytest.approx(10, abs=0.5)]


def test_zero_delay_never_waits(tmp_path):
    assert wait_for_domain_slot("news.example", 0, data_dir=tmp_path, sleep=pytest.fail)


def _take_slot(data_dir: str, queue) -> None:
    wait_for_domain_slot("shared.example", 0.25, broker_url="filesystem://", data_dir=data_dir)
    queue.put(time.time())


def test_delay_holds_across_processes(tmp_path):
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    processes = [context.Process(target=_take_slot, args=(str(tmp_path), queue)) for _ in range(3)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(10)
    times = sorted(queue.get(timeout=5) for _ in processes)
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    assert all(gap >= 0.2 for gap in gaps), gaps
