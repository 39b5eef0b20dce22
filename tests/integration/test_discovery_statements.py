"""Statement budget of the per-source pipeline: it runs for every source of every claim."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import queue
from claims.models import Evidence, ResearchCandidate, Source
from claims.services.articles import article_ingest_text
from claims.services.research import CandidateSpec, claim_research_plan, claim_research_start
from tests.integration.test_discovery_e2e import ARTICLE, HOWITZER_PAGE
from worker.discover import fetch_and_score, score_source

pytestmark = pytest.mark.django_db(transaction=True)


def _statements(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"].split()[0].upper() for q in captured.captured_queries]


def test_a_source_is_captured_and_scored_in_a_few_statements(web, loopback_allowed, sent):
    web.set_page("/nora", HOWITZER_PAGE, headers={"Content-Type": "text/html"})
    article = article_ingest_text(text=ARTICLE, links=[], research=False)
    claim = article.claims.get(text__contains="Nora")
    assert claim_research_start(claim_id=claim.pk)
    claim_research_plan(
        claim=claim, candidates=[CandidateSpec(web.url("/nora"), "article", "article")], problems=[]
    )
    source = Source.objects.get()

    with CaptureQueriesContext(connection) as capture:
        outcome = fetch_and_score(Source.objects.get(pk=source.pk), [claim.pk], final_attempt=False)
    assert outcome.snapshot is not None
    score = [kw for name, _, kw in sent if name == queue.SCORE_SOURCE]
    assert score == [{"claim_ids": [claim.pk], "snapshot_id": outcome.snapshot.pk, "error": ""}]

    with CaptureQueriesContext(connection) as scoring:
        score_source(source.pk, [claim.pk], outcome.snapshot.pk)
    evidence = Evidence.objects.get(claim=claim, source=source)
    assert evidence.stance == Evidence.Stance.SUPPORTS
    assert ResearchCandidate.objects.get().state == ResearchCandidate.State.DONE

    # Capture: load the source, take its fetch, then snapshot + attempt + source in one
    # transaction. Scoring: snapshot, candidates with claim and source, then evidence, its
    # event and the settlement in one transaction (this last candidate also finishes the
    # claim's research: four more). No savepoints: each is a round trip.
    assert len(capture) <= 7, _statements(capture)
    assert len(scoring) <= 14, _statements(scoring)
    assert "SAVEPOINT" not in _statements(capture) + _statements(scoring)
