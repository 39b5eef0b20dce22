"""Citing a matched fact-check: a real worker fetches its page and keeps its rating."""

from __future__ import annotations

import pytest

from claims.models import ClaimMatch, Evidence, FactCheck, ResearchCandidate
from claims.services.articles import article_ingest_text
from claims.services.factchecks import factcheck_upsert
from claims.services.matching import claim_match_cite, factchecks_match
from tests.waiting import wait_for

pytestmark = pytest.mark.django_db(transaction=True)

REVIEW_PAGE = """<!doctype html><html><head><title>Did Serbia sell 48 howitzers?</title></head>
<body><article><h1>Did Serbia sell 48 Nora howitzers to Azerbaijan?</h1>
<p>Yes. Serbia sold 48 Nora B-52 howitzers to Azerbaijan; the defence ministry in Belgrade
confirmed the deliveries in March 2025. Our rating: mostly true.</p></article></body></html>"""


def test_a_cited_factcheck_is_fetched_and_scored_with_its_rating(
    web, loopback_allowed, celery_worker, reviewer
):
    web.set_page("/reviews/nora", REVIEW_PAGE, headers={"Content-Type": "text/html"})
    claim = article_ingest_text(
        text="Azerbaijan bought 48 Nora B-52 self-propelled howitzers from Serbia, the "
        "ministry said.",
        research=False,
    ).claims.get()
    factcheck, _ = factcheck_upsert(
        claim_text="Serbia sold 48 Nora B-52 howitzers to Azerbaijan.",
        url=web.url("/reviews/nora"),
        source=FactCheck.Origin.IMPORTED,
        publisher="Example Check",
        rating="Mostly true",
    )
    assert factchecks_match(factchecks=[factcheck]) == 1
    match = ClaimMatch.objects.get(claim=claim)
    (evidence,) = claim_match_cite(match=match, user=reviewer)
    assert ResearchCandidate.objects.get(claim=claim).factcheck["rating"] == "Mostly true"

    def fetched():
        evidence.refresh_from_db()
        return evidence.snapshot_id

    wait_for(fetched)
    assert evidence.found_via == Evidence.FoundVia.FACTCHECK
    assert evidence.factcheck["rating"] == "Mostly true"  # the scoring kept the rating
    assert evidence.stance == Evidence.Stance.SUPPORTS
    assert "Example Check" in evidence.reason
