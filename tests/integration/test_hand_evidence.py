"""Evidence added by hand: uploads (PDF, HTML, text, image) and pasted excerpts, stored as
immutable snapshots with their SHA-256, marked as the reviewer's, scored by the worker.
Uploads are read in the request: the snapshot is written once, complete, or not at all."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from claims import queue
from claims.models import ClaimEvent, Evidence, Snapshot, Source
from claims.services import snapshots
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


HTML = b"<html><head><title>Deliveries</title></head><body><article><p>" + EXCERPT.encode()
HTML += b"</p></article></body></html>"


def _nothing_written() -> bool:
    return not (
        Source.objects.exists()
        or Snapshot.objects.exists()
        or Evidence.objects.exists()
        or ClaimEvent.objects.filter(kind=ClaimEvent.Kind.SOURCE_ADDED).exists()
    )


@pytest.mark.django_db
def test_an_uploaded_pdf_is_read_at_once_then_scored_by_the_worker(reviewer, claim, sent):
    pdf = build_pdf(("Annual report 2024", EXCERPT), title="MoD annual report 2024")
    response = api_client(reviewer).post(
        reverse("api:claim-documents", kwargs={"pk": claim.pk}),
        {
            "citation": "MoD annual report (PDF from the press office)",
            "url": "https://mod.example.gov.az/report-2024",
            "file": SimpleUploadedFile("report.pdf", pdf),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    evidence = Evidence.objects.get(claim=claim)
    snapshot = evidence.snapshot
    # Written once, complete: the text, title and language are there before any worker runs.
    assert snapshot.origin == Snapshot.Origin.UPLOAD and snapshot.body == pdf
    assert snapshot.content_type == "application/pdf"
    assert snapshot.content_hash == hashlib.sha256(pdf).hexdigest()
    assert "48 Nora B-52NG" in snapshot.text
    assert snapshot.title == "MoD annual report 2024" and snapshot.language == "en"
    assert evidence.source.url == "https://mod.example.gov.az/report-2024"
    assert evidence.stance is None  # until scored
    # Scored on the path every snapshot takes.
    [(name, args, kwargs)] = sent
    assert name == queue.SCORE_SOURCE and args == (evidence.source_id,)
    assert kwargs == {"claim_ids": [claim.pk], "snapshot_id": snapshot.pk}

    score_source(args[0], kwargs["claim_ids"], kwargs["snapshot_id"])
    evidence.refresh_from_db()
    assert evidence.stance == "supports" and evidence.snapshot_id == snapshot.pk
    stored = Snapshot.objects.get(pk=snapshot.pk)
    assert (stored.text, stored.title, stored.content_hash) == (
        snapshot.text,
        snapshot.title,
        snapshot.content_hash,
    )
    assert not hasattr(snapshots, "snapshot_set_extracted_text")  # no writer after the fact


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, body, content_type, text",
    [
        ("report.pdf", build_pdf(("Annual report 2024", EXCERPT)), "application/pdf", "48 Nora"),
        ("saved.html", HTML, "text/html", EXCERPT),
        ("notes.txt", EXCERPT.encode(), "text/plain; charset=utf-8", EXCERPT),
    ],
)
def test_an_upload_through_the_form_is_read_at_once(
    client, reviewer, claim, sent, name, body, content_type, text
):
    client.force_login(reviewer)
    response = client.post(
        reverse("claim_add_by_hand", args=[claim.pk]),
        {"citation": "From the press office", "file": SimpleUploadedFile(name, body)},
    )
    assert response.status_code == 302
    snapshot = Evidence.objects.get(claim=claim).snapshot
    assert snapshot.content_type == content_type and snapshot.body == body
    assert text in snapshot.text and snapshot.title and snapshot.language == "en"
    [(task, _args, kwargs)] = sent
    assert task == queue.SCORE_SOURCE and kwargs["snapshot_id"] == snapshot.pk


@pytest.mark.django_db
def test_an_uploaded_html_page_through_the_api_keeps_its_title(reviewer, claim, sent):
    response = api_client(reviewer).post(
        reverse("api:claim-documents", kwargs={"pk": claim.pk}),
        {"citation": "Saved page", "file": SimpleUploadedFile("page.html", HTML)},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    snapshot = Snapshot.objects.get()
    assert EXCERPT in snapshot.text and "<p>" not in snapshot.text
    assert snapshot.title == "Deliveries" and snapshot.language == "en"
    assert [task for task, _a, _k in sent] == [queue.SCORE_SOURCE]


UNREADABLE = [
    pytest.param("broken.pdf", b"%PDF-1.4\n" + b"\x00garbage" * 50, "Could not read", id="corrupt"),
    pytest.param("scan.pdf", build_pdf(()), "No text found", id="no-text-pdf"),
    pytest.param("empty.html", b"<html><body></body></html>", "No text found", id="no-text-html"),
    pytest.param("blank.txt", b"  \n\n ", "No text found", id="blank-text"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("name, body, message", UNREADABLE)
def test_an_unreadable_upload_is_400_through_the_api_and_stores_nothing(
    reviewer, claim, sent, name, body, message
):
    response = api_client(reviewer).post(
        reverse("api:claim-documents", kwargs={"pk": claim.pk}),
        {"citation": "Press office", "file": SimpleUploadedFile(name, body)},
        format="multipart",
    )
    assert response.status_code == 400, response.content
    answer = response.json()
    assert answer["code"] == "invalid" and "file" in answer["errors"]
    assert message in answer["detail"] and "excerpt" in answer["detail"]
    assert _nothing_written() and sent == []


@pytest.mark.django_db
@pytest.mark.parametrize("name, body, message", UNREADABLE)
def test_an_unreadable_upload_is_a_form_error_and_stores_nothing(
    client, reviewer, claim, sent, name, body, message
):
    client.force_login(reviewer)
    response = client.post(
        reverse("claim_add_by_hand", args=[claim.pk]),
        {"citation": "Press office", "file": SimpleUploadedFile(name, body)},
    )
    assert response.status_code == 400
    assert message in response.context["hand_form"].errors["file"][0]
    assert message in response.content.decode()
    assert _nothing_written() and sent == []


@pytest.mark.django_db
def test_an_upload_over_the_time_budget_is_refused(settings, client, reviewer, claim, sent):
    settings.FACTCHECK_EXTRACT_SECONDS = 0  # spent before the first page is read
    pdf = build_pdf(("Annual report 2024", EXCERPT))
    response = api_client(reviewer).post(
        reverse("api:claim-documents", kwargs={"pk": claim.pk}),
        {"citation": "Press office", "file": SimpleUploadedFile("report.pdf", pdf)},
        format="multipart",
    )
    assert response.status_code == 400, response.content
    assert "too complex to read" in response.json()["detail"]
    client.force_login(reviewer)
    response = client.post(
        reverse("claim_add_by_hand", args=[claim.pk]),
        {"citation": "Press office", "file": SimpleUploadedFile("report.pdf", pdf)},
    )
    assert response.status_code == 400
    assert "too complex to read" in response.context["hand_form"].errors["file"][0]
    assert _nothing_written() and sent == []


@pytest.mark.django_db
def test_a_scanned_pdf_with_an_excerpt_is_kept_and_its_excerpt_scored(reviewer, claim, sent):
    scan = build_pdf(())
    evidence = claim_add_evidence_by_hand(
        claim=claim,
        user=reviewer,
        citation="Scanned letter",
        excerpt=EXCERPT,
        document=recognise_document(scan, "letter.pdf"),
    )
    snapshot = evidence.snapshot
    assert snapshot.body == scan and snapshot.text == EXCERPT and snapshot.title == "letter.pdf"
    assert [task for task, _a, _k in sent] == [queue.SCORE_SOURCE]


@pytest.mark.django_db
def test_a_message_queued_for_an_old_upload_without_text_marks_it_unreadable(reviewer, claim):
    """Messages sent before uploads were read at once still end: the snapshot is left as it
    is and the claim says its text could not be read; one with text is scored."""
    source = Source.objects.create(url="urn:sha256:old", domain="added by hand", status="offline")
    pdf = build_pdf(("Annual report 2024", EXCERPT))
    old = Snapshot.objects.create(
        source=source,
        fetched_at=timezone.now(),
        http_status=0,
        content_type="application/pdf",
        content_hash=hashlib.sha256(pdf).hexdigest(),
        raw_body=Snapshot.compress(pdf),
        origin=Snapshot.Origin.UPLOAD,
        added_by=reviewer,
        text="",
    )
    evidence = Evidence.objects.create(
        claim=claim, source=source, snapshot=old, found_via="reviewer", added_by=reviewer
    )
    score_added_document(old.pk, [claim.pk])
    old.refresh_from_db()
    assert old.text == "" and old.title == ""  # never rewritten
    event = ClaimEvent.objects.get(claim=claim, data__snapshot=old.pk)
    assert event.message.startswith("Could not read the text of the uploaded document")
    evidence.refresh_from_db()
    assert evidence.stance is None

    Snapshot.objects.filter(pk=old.pk).update(text=EXCERPT)  # as a snapshot with its text
    score_added_document(old.pk, [claim.pk])
    evidence.refresh_from_db()
    assert evidence.stance == "supports"
    score_added_document(10**12, [claim.pk])  # a snapshot gone since: nothing to do


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
    assert failed.snapshot.content_type == "text/html" and EXCERPT in failed.snapshot.text
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


def test_a_real_worker_scores_an_uploaded_pdf(celery_worker, reviewer):
    article = article_ingest_text(
        text="Azerbaijan bought 48 Nora B-52NG howitzers from Serbia in 2024. "
        "Officials said the deliveries were completed.",
        research=False,
    )
    claim = article.claims.first()
    response = api_client(reviewer).post(
        reverse("api:claim-documents", kwargs={"pk": claim.pk}),
        {
            "citation": "MoD annual report",
            "file": SimpleUploadedFile("report.pdf", build_pdf(("Annual report", EXCERPT))),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    evidence = Evidence.objects.get(pk=response.json()["id"])
    wait_for(lambda: Evidence.objects.get(pk=evidence.pk).stance, fail=False)
    evidence.refresh_from_db()
    assert evidence.stance == "supports" and "48" in evidence.quote
