"""Hostile pages through the real worker and one record_fetch(): every fetch ends in a
recorded outcome within seconds, and what is stored is what PostgreSQL can store.

A reviewer adds a URL (claim_add_source_url), a real Celery worker thread fetches it from
the loopback web, PostgreSQL stores the outcome.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection
from django.urls import reverse

from claims import queue
from claims.models import Evidence, FetchAttempt, Snapshot, Source
from claims.services.articles import article_ingest_text
from claims.services.sources import claim_add_source_url, source_get_or_create
from tests.integration.test_discovery_hostile import ARTICLE, SLACK, add_and_wait
from tests.integration.test_recheck_outcomes import PARAS, page
from tests.waiting import wait_for
from worker.discover import fetch_and_score
from worker.fetching import clear_robots_cache, extract_document

pytestmark = pytest.mark.django_db(transaction=True)

LEVELS = 12_000
PLAIN = {"Content-Type": "text/plain; charset=utf-8"}


def deep_page(levels: int = LEVELS) -> bytes:
    """Several MB of nested <div>s with the text at the bottom: trafilatura gives up on it
    and the fallback used to search each tag's whole subtree (quadratic, minutes of CPU)."""
    padding = "x" * 250
    html = "<html><body>" + f'<div class="c" data-pad="{padding}">' * levels
    html += "<p>The ministry said 48 buses were delivered.</p>"
    return (html + "</div>" * levels + "</body></html>").encode()


@pytest.fixture
def loopback(settings, web):
    """The test web is on loopback; pages up to 8 MB; no politeness wait."""
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = True
    settings.FACTCHECK_FETCH_DOMAIN_DELAY = 0
    settings.FACTCHECK_FETCH_DEADLINE = 20.0
    settings.FACTCHECK_FETCH_MAX_BYTES = 8 * 1024 * 1024
    clear_robots_cache()
    yield settings
    clear_robots_cache()


@pytest.fixture
def claim(loopback):
    article = article_ingest_text(text=ARTICLE, research=False)
    return article.claims.get(text__contains="48 new electric buses")


def test_a_deeply_nested_page_settles_within_seconds(claim, web, celery_worker, loopback):
    body = deep_page()
    assert len(body) > 3_000_000
    web.set_page("/deep.html", body)

    source, took = add_and_wait(claim, web.url("/deep.html"), 30.0)

    assert took < 15.0, took
    attempt = source.attempts.get()  # a recorded outcome: read, or too complex
    if attempt.outcome == FetchAttempt.Outcome.OK:
        assert "48 buses were delivered" in attempt.snapshot.text
    else:
        assert attempt.code == "too_complex", attempt.reason


def test_a_page_over_the_time_budget_is_a_recorded_too_complex_failure(
    claim, web, celery_worker, loopback
):
    loopback.FACTCHECK_EXTRACT_SECONDS = 0.05
    web.set_page("/deep.html", deep_page())

    source, took = add_and_wait(claim, web.url("/deep.html"), 30.0)

    assert took < 15.0, took
    assert source.status == Source.Status.FAILED
    assert "too complex" in source.failure_reason
    attempt = source.attempts.get()
    assert (attempt.outcome, attempt.code, attempt.transient) == ("failed", "too_complex", False)
    assert not source.snapshots.exists()


def test_extraction_is_linear_in_the_depth_of_the_page(loopback):
    """Four times the depth costs about four times the time (quadratic: sixteen)."""

    def seconds(levels: int) -> float:
        body = deep_page(levels)
        started = time.perf_counter()
        extract_document(body, "text/html", "https://a.example/", seconds=60)
        return time.perf_counter() - started

    seconds(1000)  # warm-up
    small, large = seconds(3_000), seconds(12_000)
    assert large < small * 8, (small, large)


def test_a_text_page_with_a_nul_is_stored_without_it(claim, web, celery_worker):
    web.set_page(
        "/nul.txt", "Buses for Novi Sad\n\n48 new electric\x00 buses arrive.", headers=PLAIN
    )

    source, _ = add_and_wait(claim, web.url("/nul.txt"), 10.0 + SLACK)

    assert source.status == Source.Status.OK, source.failure_reason
    snapshot = source.snapshots.get()
    assert "\x00" not in snapshot.text
    assert "48 new electric buses arrive." in snapshot.text
    assert b"\x00" in snapshot.body  # the bytes as received
    assert source.attempts.get().outcome == FetchAttempt.Outcome.OK


def test_a_recheck_keeps_the_language_and_the_badge_on_evidence_cards(
    claim, web, celery_worker, client, reviewer
):
    """The re-check writes snapshots through record_fetch too: a moved source's new
    snapshot keeps its language, and the evidence card built on it shows the badge."""
    french = page(PARAS).replace("<html>", '<html lang="fr">')
    web.set_page("/fr/old.html", french)
    web.set_page("/fr/new.html", french.replace("spring", "summer"))
    source, _ = add_and_wait(claim, web.url("/fr/old.html"), 10.0 + SLACK)
    assert source.snapshots.get().language == "fr"
    Evidence.objects.filter(claim=claim, source=source).update(quote=PARAS[1])

    web.set_page("/fr/old.html", "", status=301, headers={"Location": web.url("/fr/new.html")})
    queue.enqueue(queue.RECHECK_SOURCE, source.pk)
    moved = wait_for(lambda: Source.objects.filter(moved_from=source).first(), 20.0)
    new_snapshot = moved.snapshots.get()
    assert new_snapshot.language == "fr"

    evidence = wait_for(lambda: Evidence.objects.filter(claim=claim, source=moved).first(), 10.0)
    assert evidence.snapshot_id == new_snapshot.pk
    client.force_login(reviewer)
    html = client.get(reverse("claim_evidence", args=[claim.pk])).content.decode()
    assert 'class="badge lang"' in html
    assert "Source language: French" in html


def test_six_concurrent_fetches_of_one_new_url_make_one_snapshot(claim, web, loopback):
    """Six tasks loaded the new source before any fetched it; the first fetches, the five
    that claim it after that fetch finished find it fresh and keep its snapshot."""
    web.set_page("/once.html", page(PARAS))
    source, _ = source_get_or_create(url=web.url("/once.html"))
    loaded = [Source.objects.get(pk=source.pk) for _ in range(6)]  # as each task loaded it
    outcomes: list = []

    def fetch(stale: Source) -> None:
        try:
            outcomes.append(fetch_and_score(stale, [], final_attempt=True, domain_delay=0))
        finally:
            connection.close()

    first = threading.Thread(target=fetch, args=(loaded[0],))
    first.start()
    first.join(60)
    others = [threading.Thread(target=fetch, args=(stale,)) for stale in loaded[1:]]
    for thread in others:
        thread.start()
    for thread in others:
        thread.join(60)

    assert len(outcomes) == 6
    assert all(outcome.snapshot is not None for outcome in outcomes), outcomes
    assert Snapshot.objects.filter(source=source).count() == 1
    assert FetchAttempt.objects.filter(source=source).count() == 1
    assert len(web.requests_for("/once.html")) == 1


def test_six_concurrent_additions_of_one_url_make_one_snapshot(claim, web, celery_worker):
    """Six reviewers add the same URL to six claims at once: one fetch, one snapshot."""
    web.set_page("/six.html", page(PARAS))
    claims = [claim]
    for index in range(5):
        claims.append(
            type(claim).objects.create(article=claim.article, text=f"Claim {index}", start=0, end=5)
        )
    barrier = threading.Barrier(6)

    def add(one) -> None:
        try:
            barrier.wait(10)
            claim_add_source_url(claim=one, url=web.url("/six.html"), user=None)
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(one,)) for one in claims]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    source = Source.objects.get(url=web.url("/six.html"))
    wait_for(
        lambda: Evidence.objects.filter(source=source).exclude(snapshot=None).count() == 6, 30.0
    )
    assert Snapshot.objects.filter(source=source).count() == 1
    assert FetchAttempt.objects.filter(source=source).count() == 1
    assert len(web.requests_for("/six.html")) == 1


def test_evidence_added_by_hand_is_written_through_record_fetch(claim, reviewer, sent):
    """Its language is read like a fetched page's, and a NUL in the excerpt is dropped."""
    from claims.services.hand_evidence import claim_add_evidence_by_hand

    excerpt = "Le ministère a confirmé la livraison de 48 obusiers\x00 en 2024 pour la ville."
    evidence = claim_add_evidence_by_hand(
        claim=claim, user=reviewer, citation="Communiqué du ministère", excerpt=excerpt
    )
    snapshot = evidence.snapshot
    assert snapshot.origin == Snapshot.Origin.PASTED and snapshot.added_by == reviewer
    assert snapshot.language == "fr"
    assert "\x00" not in snapshot.text and "48 obusiers en 2024" in snapshot.text
    assert not FetchAttempt.objects.filter(source=evidence.source).exists()  # nothing fetched
