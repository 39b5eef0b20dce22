"""robots.txt and the cross-process per-domain delay, on loopback only."""

from __future__ import annotations

import ipaddress
import shutil
import socket
import subprocess
import time

import pytest
import redis

from tests.waiting import wait_for
from worker.fetching import (
    FetchError,
    clear_robots_cache,
    fetch,
    polite_delay,
    wait_for_domain_slot,
)
from worker.fetching import robots as robots_module

LOOPBACK_ONE = ipaddress.ip_address("127.0.0.1")


def get(web, path: str, **kwargs):
    kwargs.setdefault("is_allowed_address", lambda ip: ip == LOOPBACK_ONE)
    kwargs.setdefault("domain_delay", 0)
    kwargs.setdefault("deadline", 3.0)
    return fetch(web.url(path), **kwargs)


@pytest.fixture(autouse=True)
def _fresh_robots_cache():
    clear_robots_cache()
    yield
    clear_robots_cache()


# -- robots.txt


def test_disallowed_path_is_refused_permanently(web):
    with pytest.raises(FetchError) as caught:
        get(web, "/private/secret.html")
    assert caught.value.code == "robots" and not caught.value.transient
    assert web.requests_for("/private/secret.html") == []


def test_robots_can_be_skipped(web):
    assert get(web, "/private/secret.html", check_robots=False).status == 200


def test_robots_is_fetched_once_per_host_and_cached(web):
    get(web, "/news/article.html")
    get(web, "/notes.txt")
    with pytest.raises(FetchError):
        get(web, "/private/secret.html")
    assert len(web.requests_for("/robots.txt")) == 1


def test_robots_cache_expires(web, monkeypatch):
    monkeypatch.setattr(robots_module, "ROBOTS_TTL", 0.0)
    get(web, "/news/article.html")
    get(web, "/news/article.html")
    assert len(web.requests_for("/robots.txt")) == 2


def test_rules_for_our_user_agent_apply(web):
    with pytest.raises(FetchError) as caught:
        get(web, "/news/article.html", user_agent="GreedyBot/2.0 (+https://greedy.invalid)")
    assert caught.value.code == "robots"


def test_missing_robots_allows_everything(web):
    web.set_page("/robots.txt", "not here", status=404)
    assert get(web, "/private/secret.html").status == 200


def test_failing_robots_means_not_now(web):
    web.set_page("/robots.txt", "oops", status=503)
    with pytest.raises(FetchError) as caught:
        get(web, "/news/article.html")
    assert caught.value.code == "robots" and caught.value.transient
    assert web.requests_for("/news/article.html") == []


def test_robots_request_has_the_same_user_agent(web):
    get(web, "/news/article.html", user_agent="FactcheckBot/7")
    assert web.requests_for("/robots.txt")[0].headers["user-agent"] == "FactcheckBot/7"


def test_crawl_delay_of_robots_txt_is_honoured(web, settings, tmp_path):
    # The file backend, so the slot can be inspected without touching the test broker.
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.DATA_DIR = tmp_path
    web.set_page("/robots.txt", "User-agent: *\nCrawl-delay: 3\nDisallow: /private/\n")
    get(web, "/news/article.html", domain_delay=0.01)  # reads robots.txt: 3 s from now on
    assert robots_module.crawl_delay(web.url("/"), "FactcheckBot/1.0") == 3.0
    get(web, "/notes.txt", domain_delay=0.01)  # takes a slot that keeps the host 3 s
    assert not wait_for_domain_slot("127.0.0.1", 0.01, max_wait=1.5)
    assert polite_delay(web.url("/x"), "FactcheckBot/1.0", 5.0) == 5.0  # ours when longer


def test_crawl_delay_is_capped_and_unknown_until_read(web):
    assert robots_module.crawl_delay(web.url("/"), "FactcheckBot/1.0") == 0.0
    web.set_page("/robots.txt", "User-agent: *\nCrawl-delay: 86400\n")
    get(web, "/news/article.html")
    assert robots_module.crawl_delay(web.url("/"), "FactcheckBot/1.0") == 30.0


def test_without_crawl_delay_the_host_is_free_again_soon(web, settings, tmp_path):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.DATA_DIR = tmp_path
    get(web, "/news/article.html", domain_delay=0.01)
    get(web, "/notes.txt", domain_delay=0.01)
    assert wait_for_domain_slot("127.0.0.1", 0.01, max_wait=1.5)


# -- politeness, file backend (filesystem broker)


def test_fetch_waits_for_the_domain_slot(web, settings, tmp_path):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.DATA_DIR = tmp_path
    started = time.monotonic()
    get(web, "/news/article.html", domain_delay=0.3, check_robots=False)
    get(web, "/news/article.html", domain_delay=0.3, check_robots=False)
    assert time.monotonic() - started >= 0.28
    first, second = web.requests_for("/news/article.html")
    assert second.at - first.at >= 0.28


# -- politeness, Redis backend (a private redis-server on a loopback port)


# -- politeness, Redis backend (a private redis-server on a loopback port)


@pytest.fixture(scope="module")
def redis_url():
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(host="127.0.0.1", port=port)

    def answers() -> bool:
        try:
            return client.ping()
        except redis.exceptions.ConnectionError:
            return False

    if not wait_for(answers, timeout=5, fail=False):
        process.kill()
        pytest.skip("redis-server did not start")
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(5)


def test_redis_slots_are_spaced_by_the_delay(redis_url):
    waits: list[float] = []
    domain = f"redis-{time.time()}.example"
    for _ in range(3):
        assert wait_for_domain_slot(domain, 0.5, broker_url=redis_url, sleep=waits.append)
    assert waits == [pytest.approx(0.5, abs=0.1), pytest.approx(1.0, abs=0.1)]


def test_redis_slot_beyond_max_wait_is_not_reserved(redis_url):
    sleeps: list[float] = []
    domain = f"redis-max-{time.time()}.example"
    assert wait_for_domain_slot(domain, 10, broker_url=redis_url, sleep=sleeps.append)
    assert not wait_for_domain_slot(domain, 10, max_wait=1, broker_url=redis_url)
    assert sleeps == []
