"""Scoring a captured source for the claims that wanted it: what is kept, what is dropped."""

from __future__ import annotations

import hashlib

import pytest
from django.utils import timezone

from claims.models import Evidence, ResearchCandidate, Source
from claims.services.articles import article_ingest_text
from claims.services.research import CandidateSpec, claim_research_plan, claim_research_start
from claims.services.snapshots import FetchedPage, record_fetch
from claims.services.sources import claim_add_source_url
from tests.integration.test_discovery_e2e import ARTICLE
from worker.discover import score_source

pytestmark = pytest.mark.django_db

UNRELATED = "The city council approved a new bicycle lane along the river on Monday."
# Shares a word or two with the claim ("howitzers"), nothing that makes it evidence.
WEAK = "Museum visitors can see old howitzers in the park near the council building."


def _planned_source(sent, url: str):
    article = article_ingest_text(text=ARTICLE, links=[], research=False)
    claim = article.claims.get(text__contains="Nora")
    assert claim_research_start(claim_id=claim.pk)
    claim_research_plan(
        claim=claim, candidates=[CandidateSpec(url, "search", "wikipedia")], problems=[]
    )
    return claim, Source.objects.get(url=url)


def _snapshot(source: Source, text: str):
    body = f"<html><body><p>{text}</p></body></html>".encode()
    page = FetchedPage(
        http_status=200,
        final_url=source.url,
        content_type="text/html",
        headers={},
        body=body,
        content_hash=hashlib.sha256(body).hexdigest(),
        text=text,
    )
    return record_fetch(source=source, started_at=timezone.now(), duration_ms=5, page=page).snapshot


@pytest.mark.parametrize("text", [WEAK, UNRELATED], ids=["weak", "no-match"])
def test_a_search_hit_that_does_not_bear_on_the_claim_leaves_no_evidence(sent, text):
    claim, source = _planned_source(sent, "https://news.example/cycling")
    snapshot = _snapshot(source, text)

    score_source(source.pk, [claim.pk], snapshot.pk)

    assert not Evidence.objects.filter(claim=claim).exists()
    assert ResearchCandidate.objects.get(claim=claim).state == ResearchCandidate.State.DONE
    claim.refresh_from_db()
    assert claim.status == claim.Status.NEEDS_REVIEW


@pytest.mark.parametrize("text", [WEAK, UNRELATED], ids=["weak", "no-match"])
def test_a_source_the_reviewer_added_shows_what_was_read_even_when_it_does_not_match(
    sent, reviewer, text
):
    # Discovery found the source too: its candidate says "search", the reviewer's row stays.
    claim, source = _planned_source(sent, "https://news.example/cycling")
    claim_add_source_url(claim=claim, url=source.url, user=reviewer)
    snapshot = _snapshot(source, text)

    score_source(source.pk, [claim.pk], snapshot.pk)

    evidence = Evidence.objects.get(claim=claim, source=source)
    assert evidence.snapshot_id == snapshot.pk
    assert evidence.found_via == Evidence.FoundVia.REVIEWER  # how it was found is kept
    assert evidence.added_by == reviewer
    assert evidence.relevance < 0.25
    assert evidence.stance == Evidence.Stance.MENTIONS
    assert evidence.reason  # says why it is not more than a mention
