"""Evidence added by hand: uploads (PDF, HTML, text, image) and pasted excerpts, stored as
immutable snapshots with their SHA-256, marked as the reviewer's, scored by the worker."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims import queue
from claims.models import ClaimEvent, Evidence, Snapshot, Source
from claims.services.articles import article_ingest_text
from claims.services.hand_evidence import claim_add_evidence_by_hand, recognise_document
from tests.factories import api_client, make_article, make_claim
from tests.waiting import wait_for
from tests.webserver import build_pdf
from worker.added_documents import score_added_document
from worker.discover import score_source

EXCERPT = "Serbia delivered 48 Nora B-52NG howitzers to Azerbaijan in 2024, the ministry said."
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def claim(db):
    return make_claim(make_article(), 0)


@pytest.mark.django_db
def test_a_pasted_excerpt_is_a_snapshot_citable_at_once_and_scored(client, reviewer, claim, sent):
    client.force_login(reviewer)
    response = client.post(
        reverse("claim_add_by_hand", args=[claim.pk]),
        {"citation": "Phone call with the MoD press office, 3 March 2024", "excerpt": EXCERPT},
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get(claim=claim)
    snapshot = evidence.snapshot
    assert snapshot.origin == Snapshot.Origin.PASTED and snapshot.added_by == reviewer
    assert snapshot.content_hash == hashlib.sha256(EXCERPT.encode()).hexdigest()
    assert snapshot.text == EXCERPT and snapshot.citation.startswith("Phone call")
    assert evidence.added_by == reviewer and evidence.found_via == Evidence.FoundVia.REVIEWER
    assert evidence.source.status == Source.Status.OFFLINE
    assert evidence.stance is None  # until scored
    [(name, args, kwargs)] = sent
    assert name == queue.SCORE_SOURCE and kwargs["snapshot_id"] == snapshot.pk

    page = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    citable = page.split('id="verdict-evidence"', 1)[1].split("</fieldset>", 1)[0]
    assert f'value="{evidence.pk}"' in citable
    assert "excerpt pasted by a reviewer" in page and "Phone call with the MoD" in page

    score_source(args[0], kwargs["claim_ids"], kwargs["snapshot_id"])
    evidence.refresh_from_db()
    assert evidence.stance == "supports" and "48" in evidence.quote
    assert evidence.snapshot_id == snapshot.pk

    # The same excerpt for the same claim again: one snapshot per text, never rewritten.
    text_before = Snapshot.objects.get(pk=snapshot.pk).text
    assert text_before == EXCERPT


@pytest.mark.django_db
def test_an_uploaded_pdf_is_extracted_by_the_worker_then_scored(reviewer, claim, sent):
    pdf = build_pdf(("Annual report 2024", EXCERPT))
    document = recognise_document(pdf, "report.pdf")
    assert document.content_type == "application/pdf"
    evidence = claim_add_evidence_by_hand(
        claim=claim,
        user=reviewer,
        citation="MoD annual report (PDF from the press office)",
        url="https://mod.example.gov.az/report-2024",
        document=document,
    )
    snapshot = evidence.snapshot
    assert snapshot.origin == Snapshot.Origin.UPLOAD and snapshot.body == pdf
    assert snapshot.content_hash == hashlib.sha256(pdf).hexdigest() and snapshot.text == ""
    assert evidence.source.url == "https://mod.example.gov.az/report-2024"
    [(name, args, kwargs)] = sent
    assert name == queue.SCORE_ADDED_DOCUMENT and args == (snapshot.pk,)

    score_added_document(snapshot.pk, kwargs["claim_ids"])
    snapshot.refresh_from_db()
    assert "48 Nora B-52NG" in snapshot.text
    assert snapshot.content_hash == hashlib.sha256(pdf).hexdigest()  # the body never changes
    evidence.refresh_from_db()
    assert evidence.stance == "supports"


@pytest.mark.django_db
def test_a_failed_source_can_be_added_by_hand_on_its_own_card(client, reviewer, claim, sent):
    source = Source.objects.create(
        url="https://offline.example.org/a",
        domain="offline.example.org",
        status=Source.Status.FAILED,
        failure_reason="HTTP 403",
    )
    failed = Evidence.objects.create(
        claim=claim, source=source, found_via="reviewer", added_by=reviewer
    )
    client.force_login(reviewer)
    page = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    assert "?add_url=https%3A//offline.example.org/a#add-by-hand" in page
    page = client.get(
        reverse("claim_detail", args=[claim.pk]), {"add_url": source.url}
    ).content.decode()
    assert f'value="{source.url}"' in page  # the form is filled in
    upload = SimpleUploadedFile(
        "a.html", b"<html><body><p>" + EXCERPT.encode() + b"</p></body></html>"
    )
    client.post(
        reverse("claim_add_by_hand", args=[claim.pk]),
        {"citation": "Saved copy from a colleague", "url": source.url, "file": upload},
    )
    failed.refresh_from_db()
    assert failed.snapshot.origin == Snapshot.Origin.UPLOAD
    assert failed.snapshot.content_type == "text/html"
    assert Evidence.objects.filter(claim=claim).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"excerpt": EXCERPT}, "citation", "This field is required"),
        ({"citation": "x"}, "excerpt", "Upload a file or paste an excerpt"),
        (
            {"citation": "x", "file": ("photo.png", PNG)},
            "excerpt",
            "An image needs an excerpt",
        ),
        (
            {"citation": "x", "file": ("a.bin", b"\x00\x01\xfe\xff" * 10)},
            "file",
            "Upload a PDF, an HTML page",
        ),
    ],
)
def test_bad_hand_evidence_is_400_through_the_api_and_stores_nothing(
    reviewer, claim, sent, data, field, message
):
    payload = dict(data)
    if "file" in payload:
        name, body = payload.pop("file")
        payload["file"] = SimpleUploadedFile(name, body)
    response = api_client(reviewer).post(
        reverse("api:claim-documents", kwargs={"pk": claim.pk}), payload, format="multipart"
    )
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body["errors"] and message in body["detail"]
    assert not Snapshot.objects.exists() and not Evidence.objects.exists()


@pytest.mark.django_db
def test_api_image_with_its_excerpt_is_added(reviewer, reader, claim, sent):
    response = api_client(reviewer).post(
        reverse("api:claim-documents", kwargs={"pk": claim.pk}),
        {
            "citation": "Photo of the parade",
            "excerpt": EXCERPT,
            "file": SimpleUploadedFile("p.png", PNG),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["added_by"] == reviewer.username and body["source_status"] == "offline"
    assert body["snapshot"]["content_hash"] == hashlib.sha256(PNG).hexdigest()
    assert Snapshot.objects.get().content_type == "image/png"
    denied = api_client(reader).post(
        reverse("api:claim-documents", kwargs={"pk": claim.pk}),
        {"citation": "x", "excerpt": "y"},
        format="json",
    )
    assert denied.status_code == 403


def test_a_real_worker_scores_a_pasted_excerpt(celery_worker, reviewer):
    article = article_ingest_text(
        text="Azerbaijan bought 48 Nora B-52NG howitzers from Serbia in 2023. "
        "Officials said the deliveries were completed.",
        research=False,
    )
    claim = article.claims.first()
    evidence = claim_add_evidence_by_hand(
        claim=claim, user=reviewer, citation="Interview notes, 2 May 2024", excerpt=EXCERPT
    )
    wait_for(lambda: Evidence.objects.get(pk=evidence.pk).stance, fail=False)
    evidence.refresh_from_db()
    # The excerpt says 2024 where the claim says 2023: scored like any source, years compared.
    assert evidence.stance == "contradicts" and "2024" in evidence.reason + evidence.quote
    assert ClaimEvent.objects.filter(claim=claim, message__startswith="Excerpt added").exists()
