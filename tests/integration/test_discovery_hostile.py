"""Hostile sources through the real worker: each ends as a recorded failure, in time.

A reviewer pastes a URL on a claim (claim_add_source_url); a real Celery worker thread
on the real broker fetches it from the loopback web. Whatever the server does (drips,
floods, bombs, loops, redirects inward, sends a PNG, errors), the source must end
failed or failing with a reason a reviewer can read, a failed FetchAttempt, within the
fetch deadline, with memory bounded, and the worker must still fetch a normal page next.

Only loopback addresses are ever contacted.
"""

from __future__ import annotations

import ipaddress
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from claims.models import Claim, Evidence, FetchAttempt, Source
from claims.services.articles import article_ingest_text
from claims.services.sources import claim_add_source_url
from factcheck.celery import app as celery_app
from tests.waiting import wait_for, wait_until_worker_settled
from worker.fetching import addresses, clear_robots_cache

pytestmark = pytest.mark.django_db(transaction=True)

DEADLINE = 3.0  # settings.FACTCHECK_FETCH_DEADLINE in these tests
MAX_BYTES = 2 * 1024 * 1024  # settings.FACTCHECK_FETCH_MAX_BYTES
# Queue pickup, the robots.txt request, the database writes and our 0.1 s polling.
SLACK = 3.0
RSS_GROWTH_LIMIT = 100 * 1024 * 1024

ARTICLE = """Novi Sad gets new buses

The transport ministry confirmed that 48 new electric buses will be delivered to Novi Sad \
by the end of the year.

The contract is worth 21.5 million euros, officials said.
"""

LOOPBACK_ONE = ipaddress.ip_address("127.0.0.1")


@pytest.fixture
def hostile_settings(settings, web):
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = True  # the test web is on loopback
    settings.FACTCHECK_FETCH_DOMAIN_DELAY = 0
    settings.FACTCHECK_FETCH_DEADLINE = DEADLINE
    settings.FACTCHECK_FETCH_TIMEOUT = 2.0
    settings.FACTCHECK_FETCH_MAX_BYTES = MAX_BYTES
    # The worker runs in this process: robots.txt answers cached by an earlier test of
    # the same server must not decide this one.
    clear_robots_cache()
    yield settings
    clear_robots_cache()


@pytest.fixture
def only_127_0_0_1(monkeypatch):
    """The address policy allows 127.0.0.1 (the test web) and nothing else.

    FACTCHECK_FETCH_ALLOW_PRIVATE picks the policy through addresses.default_policy;
    the worker thread shares this process, so replacing that choice is enough.
    """
    monkeypatch.setattr(addresses, "default_policy", lambda allow_private: _only_127_0_0_1)


def _only_127_0_0_1(ip) -> bool:
    return ip == LOOPBACK_ONE


@pytest.fixture
def fast_retries(monkeypatch):
    """Keeps the task's backoff schedule on record but retries after 0.1 s."""
    task = celery_app.tasks["worker.tasks.fetch.fetch_source"]
    original = task.retry
    asked: list[float] = []

    def retry(*args, countdown=None, **kwargs):
        asked.append(countdown)
        return original(*args, countdown=0.1, **kwargs)

    monkeypatch.setattr(task, "retry", retry)
    return asked


@pytest.fixture
def claim(hostile_settings) -> Claim:
    article = article_ingest_text(text=ARTICLE, research=False)
    return article.claims.get(text__contains="48 new electric buses")


# -- helpers


def peak_rss() -> int:
    """This process's peak resident set size in bytes (VmHWM)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM in /proc/self/status")


def current_rss() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS in /proc/self/status")


def reset_peak_rss() -> bool:
    """Resets VmHWM to the current RSS (Linux >= 4.0); False where not permitted."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def rss_baseline() -> int:
    """What the peak RSS is measured against: the current RSS after resetting the peak,
    or the old peak where it cannot be reset (a weaker bound, never a false alarm)."""
    return current_rss() if reset_peak_rss() else peak_rss()


def settled_source(url_source: Source) -> Source | None:
    source = Source.objects.get(pk=url_source.pk)
    if source.status in (Source.Status.FAILED, Source.Status.FAILING, Source.Status.OK):
        return source
    return None


def add_and_wait(claim: Claim, url: str, timeout: float) -> tuple[Source, float]:
    """Adds url to the claim as a reviewer would; the settled source and seconds taken."""
    started = time.monotonic()
    evidence = claim_add_source_url(claim=claim, url=url, user=None)
    source = wait_for(lambda: settled_source(evidence.source), timeout)
    assert source is not None, f"{url} was not settled within {timeout:g}s"
    return source, time.monotonic() - started


def assert_worker_still_fetches(claim: Claim, web) -> None:
    """A normal page added after the hostile one is fetched, archived and assessed."""
    source, _ = add_and_wait(claim, web.url("/news/article.html"), DEADLINE + SLACK)
    assert source.status == Source.Status.OK, source.failure_reason
    evidence = wait_for(
        lambda: Evidence.objects.filter(claim=claim, source=source).exclude(snapshot=None).first(),
        5.0,
    )
    assert evidence is not None, "the normal page was fetched but never assessed"
    assert "48" in evidence.quote


def assert_recorded_failure(source: Source, *, transient: bool, reason: str) -> FetchAttempt:
    expected = Source.Status.FAILING if transient else Source.Status.FAILED
    assert source.status == expected, (source.status, source.failure_reason)
    assert reason in source.failure_reason, source.failure_reason
    assert source.fetch_started_at is None  # the fetch was released, not abandoned
    assert not source.snapshots.exists()
    attempt = source.attempts.get()
    assert attempt.outcome == FetchAttempt.Outcome.FAILED
    assert attempt.transient is transient
    assert reason in attempt.reason
    assert attempt.duration_ms <= (DEADLINE + 1.0) * 1000, attempt.duration_ms
    return attempt


# -- permanent failures: recorded once, never retried


@dataclass(frozen=True)
class Case:
    path: str
    reason: str  # part of the reason the reviewer reads
    http_status: int | None = None


PERMANENT = {
    "redirect-loop": Case("/redirect/loop", "redirect loop"),
    "binary-png": Case("/image.png", "unsupported content type 'image/png'", 200),
    "not-found": Case("/missing", "HTTP 404", 404),
    "robots-forbidden": Case("/private/secret.html", "robots.txt disallows"),
    "redirect-to-metadata": Case(
        "/redirect/to?url=http://169.254.169.254/latest/meta-data/",
        "resolves to a blocked address (169.254.169.254)",
    ),
}


@pytest.mark.parametrize("case", PERMANENT.values(), ids=PERMANENT.keys())
def test_permanent_failure_is_recorded_in_time_and_the_worker_goes_on(
    case: Case, claim, web, celery_worker
):
    source, took = add_and_wait(claim, web.url(case.path), DEADLINE + SLACK)
    assert took < DEADLINE + SLACK
    attempt = assert_recorded_failure(source, transient=False, reason=case.reason)
    assert attempt.http_status == case.http_status
    # Not retried: still one attempt once the worker has nothing left to do.
    wait_until_worker_settled()
    assert source.attempts.count() == 1
    evidence = Evidence.objects.get(claim=claim, source=source)
    assert evidence.snapshot is None
    assert_worker_still_fetches(claim, web)


def test_redirect_to_a_blocked_address_is_refused_before_connecting(
    claim, web, celery_worker, only_127_0_0_1
):
    """/redirect/to-blocked sends us to 127.0.0.2: blocked, while 127.0.0.1 is allowed."""
    source, took = add_and_wait(claim, web.url("/redirect/to-blocked"), DEADLINE + SLACK)
    assert took < DEADLINE + SLACK
    assert_recorded_failure(source, transient=False, reason="blocked address (127.0.0.2)")
    # The hop was checked before any connection: 127.0.0.2 was never asked anything.
    assert all(request.client == "127.0.0.1" for request in web.requests)
    assert not web.requests_for("/news/article.html")
    assert_worker_still_fetches(claim, web)


# -- limits: size, decompressed size, time


def test_huge_body_without_length_is_cut_at_the_limit_with_memory_bounded(
    claim, web, celery_worker
):
    before = rss_baseline()
    source, took = add_and_wait(claim, web.url("/huge"), DEADLINE + SLACK)
    growth = peak_rss() - before
    assert took < DEADLINE + SLACK
    assert_recorded_failure(source, transient=False, reason=f"exceeds the limit of {MAX_BYTES}")
    assert growth < RSS_GROWTH_LIMIT, f"peak RSS grew by {growth / 2**20:.0f} MB"
    assert_worker_still_fetches(claim, web)


def test_gzip_bomb_is_cut_at_the_decompressed_limit_with_memory_bounded(claim, web, celery_worker):
    web.gzip_bomb()  # built before measuring: the server's memory is not the worker's
    before = rss_baseline()
    source, took = add_and_wait(claim, web.url("/bomb.html"), DEADLINE + SLACK)
    growth = peak_rss() - before
    assert took < DEADLINE + SLACK
    assert_recorded_failure(source, transient=False, reason=f"exceeds the limit of {MAX_BYTES}")
    assert growth < RSS_GROWTH_LIMIT, f"peak RSS grew by {growth / 2**20:.0f} MB"
    assert_worker_still_fetches(claim, web)


def test_drip_feed_is_cut_at_the_deadline(claim, web, celery_worker, fast_retries):
    # One byte every 0.2 s: the read timeout (2 s) never fires, only the deadline does.
    task = celery_app.tasks["worker.tasks.fetch.fetch_source"]
    started = time.monotonic()
    evidence = claim_add_source_url(claim=claim, url=web.url("/slow/drip"), user=None)
    source = wait_for(lambda: settled_source(evidence.source), DEADLINE + SLACK)
    took = time.monotonic() - started
    assert source is not None and took < DEADLINE + SLACK, took
    attempt = assert_recorded_failure(source, transient=True, reason=f"deadline of {DEADLINE:g}s")
    assert attempt.duration_ms >= (DEADLINE - 0.5) * 1000
    # A timeout may be the network's fault: retried with backoff until retries run out,
    # then the claim's wait for this source ends with the reason.
    final = wait_for(
        lambda: source.attempts.count() == task.max_retries + 1,
        (task.max_retries + 1) * (DEADLINE + SLACK),
    )
    assert final, source.attempts.count()
    assert_worker_still_fetches(claim, web)


# -- transient server errors: retried with backoff and jitter, then given up


def test_server_error_is_retried_with_backoff_then_recorded(
    claim, web, celery_worker, fast_retries
):
    task = celery_app.tasks["worker.tasks.fetch.fetch_source"]
    evidence = claim_add_source_url(claim=claim, url=web.url("/error"), user=None)
    source = wait_for(lambda: settled_source(evidence.source), DEADLINE + SLACK)
    assert source is not None
    assert source.status == Source.Status.FAILING  # transient: shown as temporarily failing
    assert "server error HTTP 500" in source.failure_reason

    attempts = wait_for(
        lambda: source.attempts.count() == task.max_retries + 1 and source.attempts.all(),
        10.0,
    )
    assert attempts, f"{source.attempts.count()} attempts, expected {task.max_retries + 1}"
    for attempt in attempts:
        assert attempt.outcome == FetchAttempt.Outcome.FAILED
        assert attempt.transient and attempt.http_status == 500
        assert "server error HTTP 500" in attempt.reason
    # The backoff the task asked for: 10 s, 20 s, 40 s, each with up to 5 s of jitter.
    assert len(fast_retries) == task.max_retries
    for retry, countdown in enumerate(fast_retries):
        assert 10 * 2**retry <= countdown <= 10 * 2**retry + 5, fast_retries
    assert len(web.requests_for("/error")) == task.max_retries + 1
    wait_until_worker_settled()  # no retry after the last one
    assert source.attempts.count() == task.max_retries + 1
    source.refresh_from_db()
    assert source.status == Source.Status.FAILING and source.fetch_started_at is None
    assert_worker_still_fetches(claim, web)


def test_server_error_leaves_the_source_failing_until_the_retry(claim, web, celery_worker):
    """With the real backoff: after the first 500 the source shows as failing, retry due."""
    evidence = claim_add_source_url(claim=claim, url=web.url("/error"), user=None)
    source = wait_for(lambda: settled_source(evidence.source), DEADLINE + SLACK)
    assert source is not None
    assert_recorded_failure(source, transient=True, reason="server error HTTP 500")
    # The retry waits at least 10 s; meanwhile the worker serves other sources.
    assert_worker_still_fetches(claim, web)
    assert source.attempts.count() == 1


# -- wrong charset: not a failure, the text comes out right


def test_wrong_charset_page_is_read_with_the_right_text(claim, web, celery_worker):
    source, took = add_and_wait(claim, web.url("/news/wrong-charset.html"), DEADLINE + SLACK)
    assert source.status == Source.Status.OK, source.failure_reason
    snapshot = source.snapshots.get()
    assert "Министерство подтвердило поставку 48 новых автобусов" in snapshot.text
    assert "\ufffd" not in snapshot.text
    assert source.attempts.get().outcome == FetchAttempt.Outcome.OK
    assert_worker_still_fetches(claim, web)
