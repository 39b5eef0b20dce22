"""Source discovery end to end: a real worker searches, fetches, archives and assesses.

The outside world is loopback: a fake SearxNG and a web server with news pages.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from claims.models import Claim, Evidence, Snapshot, Source
from claims.services.articles import article_ingest_text
from claims.services.research import claim_queue_research
from claims.services.sources import claim_add_source_url
from language.queries import build_queries
from tests.waiting import wait_for

pytestmark = pytest.mark.django_db(transaction=True)

ARTICLE = """Azerbaijan expands its artillery

The purchase of 48 self-propelled Nora B-52NG howitzers from Serbia marks a significant step in \
Azerbaijan's effort to restructure its heavy artillery.

The country also operates at least 600 MLRS units, including 100 guided systems.

Slovak Chief of Staff General Daniel Zmeko visited Baku in October 2025.
"""

HOWITZER_PAGE = """<!doctype html><html><head><title>Serbia delivers howitzers to Azerbaijan</title>
<meta property="og:site_name" content="Balkan Defence Monitor"></head><body>
<nav><a href="/">Home</a> | <a href="/defence">Defence</a></nav>
<article><h1>Serbia delivers howitzers to Azerbaijan</h1>
<p>Belgrade, 12 March 2025. Yugoimport SDPR has completed the delivery of 48 Nora B-52NG
self-propelled howitzers to Azerbaijan, the Serbian defence ministry said on Wednesday.</p>
<p>The 155 mm systems were ordered in 2023 under a contract whose value was not disclosed.
Officials in Baku said the guns would equip artillery brigades near the border.</p>
</article><footer>Share it | Leave a Reply | Copyright 2025</footer></body></html>"""

MLRS_PAGE = """<!doctype html><html><head><title>Azerbaijan's rocket artillery</title></head><body>
<article><h1>How many rocket launchers does Azerbaijan have?</h1>
<p>According to the IISS Military Balance 2025, Azerbaijan operates around 400 MLRS units,
far fewer than the figures cited by some commentators.</p>
<p>The inventory includes Polonez and Lynx launchers bought from Belarus and Israel.</p>
</article></body></html>"""


@pytest.fixture
def outside_world(settings, web, search_api):
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = True
    settings.FACTCHECK_FETCH_DOMAIN_DELAY = 0
    settings.FACTCHECK_SEARCH_PROVIDERS = ["searxng"]
    settings.FACTCHECK_SEARXNG_URL = search_api.url("searxng")
    web.set_page("/defence/nora-delivery", HOWITZER_PAGE, headers={"Content-Type": "text/html"})
    web.set_page("/analysis/mlrs", MLRS_PAGE, headers={"Content-Type": "text/html"})
    return web, search_api


def serve_search_results(search_api, claim: Claim, url: str, title: str) -> None:
    for query in build_queries(claim.text, claim.kind, claim.features):
        search_api.add("searxng", query, [{"url": url, "title": title, "content": claim.text}])


def wait_for_research(article, timeout: float = 60.0) -> None:
    wait_for(
        lambda: not article.claims.filter(status__in=Claim.RESEARCH_STATUSES).exists(),
        timeout=timeout,
    )


def test_worker_finds_archives_and_assesses_sources_for_each_claim(outside_world, celery_worker):
    web, search_api = outside_world
    article = article_ingest_text(text=ARTICLE, research=False)
    howitzers = article.claims.get(text__contains="48 self-propelled")
    mlrs = article.claims.get(text__contains="MLRS")
    serve_search_results(
        search_api, howitzers, web.url("/defence/nora-delivery"), "Serbia delivers howitzers"
    )
    serve_search_results(search_api, mlrs, web.url("/analysis/mlrs"), "Rocket artillery")

    with transaction.atomic():
        for claim in article.claims.all():
            claim_queue_research(claim=claim)
    wait_for_research(article)

    support = Evidence.objects.get(claim=howitzers)
    assert support.stance == "supports", support.reason
    assert "48" in support.quote and "Nora B-52NG" in support.quote
    assert support.snapshot.text[support.quote_start : support.quote_end] == support.quote
    assert support.found_via == "search" and support.provider == "searxng"
    snapshot = support.snapshot
    assert snapshot.http_status == 200
    assert b"Yugoimport" in snapshot.body  # raw body archived (compressed)
    assert "Leave a Reply" not in snapshot.text  # main text only
    assert snapshot.title == "Serbia delivers howitzers to Azerbaijan"

    contra = Evidence.objects.get(claim=mlrs)
    assert contra.stance == "contradicts", contra.reason
    assert "600" in contra.reason and "400" in contra.reason

    for claim in article.claims.all():
        assert claim.status == Claim.Status.NEEDS_REVIEW
        assert claim.events.filter(kind="research_done").count() == 1
    # One fetch per source however many claims wanted it.
    assert Snapshot.objects.count() == Source.objects.filter(status="ok").count() == 2
    assert len(web.requests_for("/defence/nora-delivery")) == 1


@pytest.mark.embedded
def test_a_reviewer_url_is_fetched_and_assessed_in_the_background(outside_world, celery_worker):
    web, _ = outside_world
    article = article_ingest_text(text=ARTICLE, research=False)
    claim = article.claims.get(text__contains="48 self-propelled")
    evidence = claim_add_source_url(
        claim=claim, url=web.url("/defence/nora-delivery#top?utm_source=x"), user=None
    )
    wait_for(lambda: Evidence.objects.get(pk=evidence.pk).snapshot_id, fail=False)
    evidence.refresh_from_db()
    assert evidence.snapshot_id, "the reviewer's source was never fetched"
    assert evidence.found_via == "reviewer"
    assert evidence.stance == "supports"
    assert "#" not in evidence.source.url


def test_a_failing_source_is_recorded_with_its_reason(outside_world, celery_worker):
    web, _ = outside_world
    article = article_ingest_text(text=ARTICLE, research=False)
    claim = article.claims.get(text__contains="48 self-propelled")
    evidence = claim_add_source_url(claim=claim, url=web.url("/missing-page"), user=None)
    source = evidence.source
    wait_for(lambda: Source.objects.get(pk=source.pk).status == Source.Status.FAILED, fail=False)
    source.refresh_from_db()
    assert source.status == Source.Status.FAILED
    assert "404" in source.failure_reason
    assert source.attempts.filter(outcome="failed", http_status=404).count() == 1


def test_ingest_wait_prints_each_claim_with_its_evidence(outside_world, celery_worker, tmp_path):
    import io
    import json

    from django.core.management import call_command

    from language.extraction import extract_article

    web, search_api = outside_world
    # The queries the worker will send are built from the claims extraction gives.
    for claim in extract_article(ARTICLE).claims:
        if "48 self-propelled" in claim.text:
            for query in build_queries(claim.text, claim.kind, claim.features()):
                search_api.add(
                    "searxng",
                    query,
                    [{"url": web.url("/defence/nora-delivery"), "title": "Serbia delivers"}],
                )
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE)
    out = io.StringIO()
    call_command("ingest", str(path), "--wait", "--json", "--timeout", "60", stdout=out)
    data = json.loads(out.getvalue())
    claims = {c["text"]: c for c in data["claims"]}
    assert all(c["status"] == "needs_review" for c in claims.values())
    howitzers = next(c for text, c in claims.items() if "48 self-propelled" in text)
    [evidence] = howitzers["evidence"]
    assert set(evidence) == {"id", "url", "title", "quote", "stance", "reason", "score"}
    assert evidence["url"] == web.url("/defence/nora-delivery")
    assert evidence["stance"] == "supports"
    assert "48" in evidence["quote"]


def test_politeness_spaces_requests_to_one_host_across_tasks(
    outside_world, celery_worker, settings
):
    web, _ = outside_world
    settings.FACTCHECK_FETCH_DOMAIN_DELAY = 1.0
    article = article_ingest_text(text=ARTICLE, research=False)
    claim = article.claims.get(text__contains="48 self-propelled")
    first = claim_add_source_url(claim=claim, url=web.url("/defence/nora-delivery"), user=None)
    second = claim_add_source_url(claim=claim, url=web.url("/analysis/mlrs"), user=None)
    wait_for(
        lambda: all(Evidence.objects.get(pk=e.pk).snapshot_id for e in (first, second)),
        fail=False,
    )
    times = sorted(
        r.at for r in web.requests if r.path in ("/defence/nora-delivery", "/analysis/mlrs")
    )
    assert len(times) == 2
    assert times[1] - times[0] >= 0.95
