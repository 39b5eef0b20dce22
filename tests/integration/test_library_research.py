"""Research of the seed article from a library holding only documents (no web provider).

A real worker searches the library, scores the documents found and stores evidence that
names the document and the page of its quote: a PDF, a French DOCX and a Markdown note.
"""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.db import transaction

from claims.models import Claim, Evidence
from claims.selectors.library import evidence_document
from claims.selectors.reports import article_report
from claims.services.articles import article_ingest_text
from claims.services.library import library_add_files
from claims.services.research import claim_queue_research
from tests.library_files import make_docx, make_pdf
from tests.waiting import wait_for

pytestmark = pytest.mark.django_db(transaction=True)

PDF_PAGES = [
    [
        "Ministry of Defence - Procurement Office",
        "Annual report on contracts, covering the budget years 2023 and 2024.",
    ],
    [
        "Artillery",
        "In 2023 Azerbaijan signed a contract with Yugoimport SDPR for 48 Nora B-52NG",
        "self-propelled howitzers from Serbia. Deliveries were completed in 2025.",
    ],
]
FRENCH_PARAGRAPHS = [
    "Artillerie : les livraisons serbes",
    "Selon le ministère serbe de la Défense, l'Azerbaïdjan a acheté à la Serbie 48 obusiers "
    "automoteurs Nora B-52NG, livrés par Yugoimport entre 2023 et 2025.",
    "Le contrat comprend la formation des équipages et la fourniture de munitions de 155 mm.",
]
AIR_DEFENCE_NOTE = b"""# Air defence inventory

Azerbaijan's air defense layers include the S-300PMU2 Favorit long-range system, delivered
by Russia, next to Barak-MX batteries bought from Israel.
"""
UNRELATED = b"Minutes of the city council: the new library opens on Monday at nine o'clock."


def test_research_finds_quotes_and_scores_library_documents(settings, celery_worker):
    settings.FACTCHECK_SEARCH_PROVIDERS = ["library"]
    report = library_add_files(
        files=[
            ("procurement-2024.pdf", make_pdf(PDF_PAGES, title="Procurement report 2024")),
            ("livraisons-serbes.docx", make_docx(FRENCH_PARAGRAPHS)),
            ("air-defence.md", AIR_DEFENCE_NOTE),
            ("council.txt", UNRELATED),
        ],
        collection="desk",
    )
    assert (report.added, report.failed) == (4, 0), report.errors
    article = article_ingest_text(
        text=django_settings.FACTCHECK_SEED_ARTICLE.read_text(encoding="utf-8"), research=False
    )
    howitzers = article.claims.get(text__contains="48 self-propelled")
    s300 = article.claims.get(text__contains="S-300PMU2")
    with transaction.atomic():
        for claim in (howitzers, s300):
            claim_queue_research(claim=claim)
    researched = Claim.objects.filter(pk__in=[howitzers.pk, s300.pk])
    wait_for(lambda: not researched.filter(status__in=Claim.RESEARCH_STATUSES).exists(), 60)

    pdf = Evidence.objects.select_related("source", "snapshot").get(
        claim=howitzers, source__document__filename="procurement-2024.pdf"
    )
    assert pdf.provider == "library" and pdf.found_via == "search"
    assert "48 Nora B-52NG" in pdf.quote
    assert pdf.snapshot.text[pdf.quote_start : pdf.quote_end] == pdf.quote
    assert pdf.stance == "supports", pdf.reason
    assert pdf.relevance > 0.25
    assert evidence_document(pdf) == {
        "id": pdf.source.document.pk,
        "filename": "procurement-2024.pdf",
        "page": 2,
    }

    french = Evidence.objects.select_related("source").get(
        claim=howitzers, source__document__filename="livraisons-serbes.docx"
    )
    assert french.source.document.language == "fr"
    assert "48 obusiers automoteurs Nora B-52NG" in french.quote
    assert french.stance == "supports", french.reason
    assert french.relevance > 0.25
    assert evidence_document(french)["page"] == 1

    note = Evidence.objects.get(claim=s300, source__document__filename="air-defence.md")
    assert "S-300PMU2" in note.quote
    assert note.stance == "supports", note.reason

    # The unrelated document is never cited; nothing was fetched from the web.
    assert not Evidence.objects.filter(source__document__filename="council.txt").exists()
    for claim in (howitzers, s300):
        claim.refresh_from_db()
        assert claim.status == Claim.Status.NEEDS_REVIEW

    # `ingest --json` names the document and page of library evidence, null for none.
    report_json = article_report(article)
    cited = [e for c in report_json["claims"] for e in c.get("evidence", []) if e.get("document")]
    assert {e["document"]["filename"] for e in cited} >= {"procurement-2024.pdf"}
