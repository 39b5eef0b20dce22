"""Unread sources look unread: no stance, the failure in words, Retry, an archived copy.

The archive is a loopback server answering like the Wayback Machine's availability API.
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from claims import queue
from claims.models import ClaimEvent, Evidence, ResearchCandidate, Snapshot, Source
from claims.services.sources import claim_add_source_url
from tests.factories import api_client, make_article, make_claim, make_evidence
from worker.archive import read_archived_copy
from worker.discover import score_source

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

COPY_HTML = """<!DOCTYPE html><html lang="en"><head><title>Howitzer deliveries</title></head>
<body><article><h1>Howitzer deliveries</h1>
<p>Serbia delivered 48 Nora B-52NG howitzers to Azerbaijan, the ministry said in 2024.</p>
<p>The contract covered training and spare parts for the artillery units.</p>
</article></body></html>"""


@pytest.fixture
def failed(reviewer, sent):
    """A claim with a reviewer's source whose fetch failed."""
    claim = make_claim(make_article(), 0)
    evidence = claim_add_source_url(
        claim=claim, url="https://offline.example.org/report", user=reviewer
    )
    Source.objects.filter(pk=evidence.source_id).update(
        status=Source.Status.FAILED, failure_reason="name not resolved"
    )
    sent.clear()
    return claim, evidence


def test_unread_evidence_has_no_stance_and_says_its_source_status(reader, failed):
    claim, evidence = failed
    read = make_evidence(claim)
    body = api_client(reader).get(reverse("api:claim-detail", kwargs={"pk": claim.pk})).json()
    rows = {row["id"]: row for row in body["evidence"]}
    assert rows[evidence.pk]["stance"] is None
    assert rows[evidence.pk]["source_status"] == "failed"
    assert rows[read.pk]["stance"] == "supports" and rows[read.pk]["source_status"] == "new"
    evidence.refresh_from_db()
    assert evidence.stance is None  # no "mentions" badge by default


def test_failed_card_says_why_offers_retry_and_is_not_citable(client, reviewer, failed):
    claim, evidence = failed
    client.force_login(reviewer)
    html = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    card = html.split(f'id="evidence-{evidence.pk}"', 1)[1].split("</article>", 1)[0]
    assert "could not be read" in card and "name not resolved" in card
    assert "Mentions" not in card and "badge stance-" not in card
    assert reverse("claim_source_retry", args=[claim.pk, evidence.source_id]) in card
    assert reverse("claim_source_archive", args=[claim.pk, evidence.source_id]) in card
    citable = html.split('id="verdict-evidence"', 1)[1].split("</fieldset>", 1)[0]
    assert f'value="{evidence.pk}"' not in citable


def test_retry_fetches_the_source_again_ahead_of_other_work(client, reviewer, failed, sent):
    claim, evidence = failed
    client.force_login(reviewer)
    url = reverse("claim_source_retry", args=[claim.pk, evidence.source_id])
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Fetching again" in response.content.decode()
    source = Source.objects.get(pk=evidence.source_id)
    assert source.status == Source.Status.NEW and source.failure_reason == ""
    assert sent == [(queue.FETCH_SOURCE, (source.pk,), {"claim_ids": [claim.pk], "priority": 0})]
    assert ClaimEvent.objects.filter(claim=claim, message__startswith="Fetching again").exists()
    # A second press while the fetch is on its way queues nothing more.
    client.post(url)
    assert len(sent) == 1


def test_retry_of_a_failed_research_candidate_makes_it_pending(client, reviewer, sent):
    claim = make_claim(make_article(), 0)
    source = Source.objects.create(
        url="https://gone.example.org/a", domain="gone.example.org", status=Source.Status.GONE
    )
    candidate = ResearchCandidate.objects.create(
        claim=claim, source=source, found_via="search", state="failed", error="HTTP 410"
    )
    client.force_login(reviewer)
    html = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    assert "HTTP 410" in html
    assert reverse("claim_source_retry", args=[claim.pk, source.pk]) in html
    client.post(reverse("claim_source_retry", args=[claim.pk, source.pk]))
    candidate.refresh_from_db()
    assert candidate.state == "pending" and sent[0][0] == queue.FETCH_SOURCE


def test_sources_of_other_claims_and_readers_are_refused(client, reader, reviewer, failed):
    claim, evidence = failed
    other = make_claim(claim.article, 1)
    client.force_login(reviewer)
    response = client.post(
        reverse("claim_source_retry", args=[other.pk, evidence.source_id]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400 and "not among this claim" in response.content.decode()
    client.force_login(reader)
    url = reverse("claim_source_archive", args=[claim.pk, evidence.source_id])
    assert client.post(url).status_code == 403


def _archive(web, copy_path: str | None) -> None:
    closest = (
        {"available": True, "url": web.url(copy_path), "timestamp": "20240301000000"}
        if copy_path
        else None
    )
    answer = {"archived_snapshots": {"closest": closest} if closest else {}}
    web.set_page(
        "/wayback/available",
        json.dumps(answer),
        headers={"Content-Type": "application/json"},
    )


def test_archived_copy_is_fetched_safely_stored_and_scored(
    client, reviewer, failed, web, loopback_allowed, settings, sent
):
    claim, evidence = failed
    settings.FACTCHECK_ARCHIVE_LOOKUP_URL = web.url("/wayback/available?url=")
    _archive(web, "/web/20240301000000/report.html")
    web.set_page("/web/20240301000000/report.html", COPY_HTML)
    client.force_login(reviewer)
    client.post(reverse("claim_source_archive", args=[claim.pk, evidence.source_id]))
    assert sent == [
        (queue.FETCH_ARCHIVED_COPY, (evidence.source_id,), {"claim_ids": [claim.pk], "priority": 0})
    ]

    copy_url = read_archived_copy(evidence.source_id, [claim.pk])
    assert copy_url == web.url("/web/20240301000000/report.html")
    lookup = web.requests_for("/wayback/available")[0]
    assert "url=https%3A%2F%2Foffline.example.org%2Freport" in lookup.path
    snapshot = Snapshot.objects.get(source_id=evidence.source_id)
    assert snapshot.origin == Snapshot.Origin.ARCHIVE and "48 Nora" in snapshot.text
    source = Source.objects.get(pk=evidence.source_id)
    assert source.status == Source.Status.FAILED  # the live page still failed
    name, args, kwargs = sent[-1]
    assert name == queue.SCORE_SOURCE and kwargs["snapshot_id"] == snapshot.pk

    score_source(args[0], kwargs["claim_ids"], kwargs["snapshot_id"])
    evidence.refresh_from_db()
    assert evidence.snapshot_id == snapshot.pk and evidence.stance is not None
    assert evidence.found_via == Evidence.FoundVia.REVIEWER
    html = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    citable = html.split('id="verdict-evidence"', 1)[1].split("</fieldset>", 1)[0]
    assert f'value="{evidence.pk}"' in citable
    assert "archived copy" in html


def test_no_archived_copy_is_said_in_the_timeline(failed, web, loopback_allowed, settings):
    claim, evidence = failed
    settings.FACTCHECK_ARCHIVE_LOOKUP_URL = web.url("/wayback/available?url=")
    _archive(web, None)
    assert read_archived_copy(evidence.source_id, [claim.pk]) == ""
    event = ClaimEvent.objects.filter(claim=claim).latest("created_at")
    assert event.message.startswith("No archived copy of https://offline.example.org/report")
    assert not Snapshot.objects.filter(source_id=evidence.source_id).exists()


def test_the_archive_lookup_goes_through_the_safe_fetcher(failed, web, settings):
    """Without loopback allowed, the SSRF block refuses the lookup: the same fetcher."""
    claim, evidence = failed
    settings.FACTCHECK_ARCHIVE_LOOKUP_URL = web.url("/wayback/available?url=")
    _archive(web, "/copy.html")
    assert read_archived_copy(evidence.source_id, [claim.pk]) == ""
    assert web.requests_for("/wayback/available") == []
    event = ClaimEvent.objects.filter(claim=claim).latest("created_at")
    assert event.message.startswith("No archived copy")
