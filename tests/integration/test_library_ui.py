"""The Library pages: list, search, upload (files and a zip), a document's pages and
citations, evidence cards naming document and page, the "Download evidence" button."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims.models import Document
from claims.services.articles import article_ingest_text
from claims.services.library import library_add_file
from claims.services.reviews import claim_record_verdict
from tests.library_files import cite_from_library, make_pdf, make_zip

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

PDF = make_pdf(
    [["Procurement report"], ["Azerbaijan ordered 48 Nora B-52NG howitzers from Serbia in 2023."]],
    title="Procurement report",
)


def test_a_reviewer_uploads_several_files_and_a_zip(client, reviewer):
    client.force_login(reviewer)
    response = client.post(
        reverse("library_upload"),
        {
            "files": [
                SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf"),
                SimpleUploadedFile(
                    "notes.zip",
                    make_zip({"a.md": b"# A\n\nThe S-300PMU2 stays.", "b.txt": b"Minutes."}),
                ),
                SimpleUploadedFile("photo.png", b"\x89PNG"),
            ],
            "collection": "desk",
        },
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Added 3, already in the library 0, could not read 1" in page
    assert "photo.png: unsupported file type .png" in page
    documents = Document.objects.filter(collection="desk")
    assert {d.filename for d in documents} == {"report.pdf", "a.md", "b.txt"}
    assert all(d.added_by == reviewer for d in documents)
    assert "report.pdf" in page and reviewer.username in page  # who added what


def test_a_reader_reads_and_searches_but_cannot_upload(client, reader):
    library_add_file(filename="report.pdf", data=PDF, collection="desk")
    client.force_login(reader)
    page = client.get(reverse("library"), {"q": "B-52NG"}).content.decode()
    assert "Results for “B-52NG”" in page and "page 2" in page
    assert 'action="/library/upload"' not in page  # no upload form for readers
    upload = client.post(reverse("library_upload"), {"files": [SimpleUploadedFile("x.txt", b"x")]})
    assert upload.status_code == 403
    assert not Document.objects.filter(filename="x.txt").exists()


def test_an_empty_upload_is_a_clear_400(client, reviewer):
    client.force_login(reviewer)
    response = client.post(reverse("library_upload"), {"collection": "desk"})
    assert response.status_code == 400
    assert "Choose at least one file" in response.content.decode() or "required" in (
        response.content.decode()
    )


def test_document_page_evidence_card_and_bundle_button(client, reviewer, reader):
    document, _ = library_add_file(filename="report.pdf", data=PDF, collection="desk")
    article = article_ingest_text(
        text="Azerbaijan bought 48 self-propelled Nora B-52NG howitzers from Serbia in 2023.\n",
        research=False,
    )
    claim = article.claims.get()
    evidence = cite_from_library(claim, document)
    client.force_login(reader)
    claim_page = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    assert "report.pdf · page 2" in claim_page
    assert f"/library/documents/{document.pk}/#page-2" in claim_page
    assert "Download evidence" not in claim_page  # no verdict yet

    claim.refresh_from_db()
    claim_record_verdict(
        claim=claim,
        reviewer=reviewer,
        verdict="verified",
        rationale="The report says so.",
        evidence=[evidence],
        version=claim.version,
    )
    claim_page = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    assert f'href="/api/claims/{claim.pk}/bundle.wacz"' in claim_page
    assert client.get(f"/api/claims/{claim.pk}/bundle.wacz").status_code == 200  # session

    doc_page = client.get(reverse("library_document", args=[document.pk])).content.decode()
    assert 'id="page-2"' in doc_page and "48 Nora B-52NG" in doc_page
    assert claim.text[:60] in doc_page  # where it is cited
    original = client.get(reverse("library_document_file", args=[document.pk]))
    assert original.content == PDF
    assert original["Content-Disposition"].startswith("attachment")
    assert client.get(reverse("library_document", args=[999999])).status_code == 404


def test_anonymous_users_are_sent_to_sign_in(client):
    for url in (reverse("library"), reverse("library_document", args=[1])):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
