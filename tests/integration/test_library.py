"""The document library: adding files (command and service), versions, search by parts.

Marked embedded: the same tests run on SQLite (FTS5) in the suite's second pass.
"""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection

from claims.library_index import search_passages
from claims.models import Claim, ClaimEvent, Document, DocumentVersion, Evidence, Passage
from claims.selectors.library import library_search
from claims.services.articles import article_ingest_text
from claims.services.library import library_add_file, library_add_files
from claims.services.reviews import claim_record_verdict
from tests.library_files import cite_from_library, make_docx, make_pdf, make_zip

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]

FRENCH = (
    "L'Azerbaïdjan a acheté à la Serbie 48 obusiers automoteurs Nora B-52NG. Les livraisons "
    "ont commencé en 2024 et le contrat comprend des munitions de 155 mm pour les brigades."
)


def run_add(*args: str) -> dict:
    out = io.StringIO()
    call_command("library", "add", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_library_add_reads_every_format_in_a_folder_and_prints_json(tmp_path):
    nested = tmp_path / "reports" / "2025"
    nested.mkdir(parents=True)
    (tmp_path / "budget.pdf").write_bytes(
        make_pdf([["Defence budget 2025"], ["Spending rises by 18 percent in 2025."]])
    )
    (nested / "livraisons.docx").write_bytes(make_docx(["Livraisons serbes", FRENCH]))
    (nested / "note.md").write_bytes(b"# Note\n\nThe **S-300PMU2** system stays in service.\n")
    (nested / "page.html").write_bytes(
        b"<html><head><title>Press statement</title></head><body><nav>Home</nav><article>"
        b"<h1>Press statement</h1><p>The ministry confirmed the delivery of 48 howitzers to "
        b"the army in March, after trials at the firing range near the capital.</p>"
        b"</article></body></html>"
    )
    (nested / "plain.txt").write_bytes(b"Minutes\n\nThe council met on Monday.")
    (nested / "image.png").write_bytes(b"\x89PNG\r\n")
    (nested / "broken.pdf").write_bytes(b"%PDF-1.4 not really a pdf")

    report = run_add(str(tmp_path), "--collection", "desk")

    assert set(report) == {"added", "skipped", "failed", "documents", "errors"}
    assert (report["added"], report["skipped"], report["failed"]) == (5, 0, 2)
    by_name = {d["filename"]: d for d in report["documents"]}
    assert set(by_name) == {"budget.pdf", "livraisons.docx", "note.md", "page.html", "plain.txt"}
    assert set(by_name["budget.pdf"]) == {"id", "filename", "title", "pages", "language", "sha256"}
    assert by_name["budget.pdf"]["pages"] == 2
    assert by_name["livraisons.docx"]["language"] == "fr"
    assert by_name["page.html"]["title"] == "Press statement"
    assert {e["filename"] for e in report["errors"]} == {"image.png", "broken.pdf"}
    assert all(e["error"] for e in report["errors"])
    html = Document.objects.get(filename="page.html")
    assert "Home" not in html.versions.get().snapshot.text  # main text only
    assert Document.objects.filter(collection="desk").count() == 5
    # Stored and searchable when the command returns.
    assert library_search("S-300PMU2")[0].filename == "note.md"
    pdf = library_search("spending rises 18 percent")[0]
    assert (pdf.filename, pdf.page) == ("budget.pdf", 2)


def test_the_same_bytes_twice_are_one_document(tmp_path):
    path = tmp_path / "note.md"
    path.write_bytes(b"# Note\n\nThe Nora B-52NG howitzer fires 155 mm shells.\n")
    first = run_add(str(path))
    again = run_add(str(path), "--collection", "elsewhere")
    assert (first["added"], again["added"], again["skipped"]) == (1, 0, 1)
    assert again["documents"][0]["id"] == first["documents"][0]["id"]
    assert Document.objects.count() == DocumentVersion.objects.count() == 1


def test_a_zip_adds_its_members_and_a_bad_path_is_an_error(tmp_path):
    archive = make_zip({"a/one.txt": b"First document text.", "two.md": b"# Two\n\nSecond."})
    report = library_add_files(files=[("bundle.zip", archive), ("bad.zip", b"not a zip")])
    assert (report.added, report.failed) == (2, 1)
    assert {d.filename for d in report.documents} == {"one.txt", "two.md"}
    assert report.errors[0]["filename"] == "bad.zip"
    assert run_add(str(tmp_path / "missing"))["errors"] == [
        {"filename": str(tmp_path / "missing"), "error": "no such file or folder"}
    ]


@pytest.mark.parametrize("query", ["S-300PMU2", "S-300", "300PMU2", "PMU2", "B-52NG", "B52NG"])
def test_designations_are_found_by_their_parts(query):
    library_add_file(
        filename="inventory.txt",
        data=b"Inventory\n\nAzerbaijan fields the S-300PMU2 and 48 Nora B-52NG howitzers.",
    )
    library_add_file(filename="other.txt", data=b"Other\n\nThe council met on Monday at nine.")
    results = library_search(query)
    assert [r.filename for r in results] == ["inventory.txt"]


def test_search_stems_words_and_ignores_function_words():
    library_add_file(
        filename="a.txt",
        data=b"Report\n\nThe howitzers were delivered to the army in March, and it is said "
        b"that the brigades of the north were the first to receive them.",
    )
    assert library_search("howitzer delivered")[0].filename == "a.txt"
    assert search_passages("the of and") == []


def test_postgres_stems_each_language_with_its_own_configuration():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL text search configurations")
    library_add_file(filename="fr.txt", data=FRENCH.encode())
    passage = Passage.objects.get()
    assert passage.config == "french"
    # French stemming: "obusier" finds "obusiers", "livraison" finds "livraisons".
    assert library_search("obusier livraison")[0].filename == "fr.txt"


def _cited_claim(reviewer, text: bytes):
    article = article_ingest_text(
        text="Azerbaijan bought 48 self-propelled Nora B-52NG howitzers from Serbia in 2023.\n",
        research=False,
    )
    claim = article.claims.get()
    document, outcome = library_add_file(filename="contract.txt", data=text)
    assert outcome == "added"
    evidence = cite_from_library(claim, document)
    claim.refresh_from_db()
    claim_record_verdict(
        claim=claim,
        reviewer=reviewer,
        verdict="verified",
        rationale="The contract says so.",
        evidence=[evidence],
        version=claim.version,
    )
    return claim, evidence


CONTRACT = (
    b"Contract summary\n\n"
    b"In 2023 Azerbaijan ordered 48 Nora B-52NG self-propelled howitzers from Serbia.\n\n"
    b"Payment terms are confidential."
)


def test_a_new_version_with_the_cited_passage_changed_flags_the_verdict(reviewer):
    claim, evidence = _cited_claim(reviewer, CONTRACT)
    old_snapshot = evidence.snapshot_id
    changed = CONTRACT.replace(b"48 Nora", b"36 Nora")
    document, outcome = library_add_file(filename="contract.txt", data=changed)
    assert outcome == "version"
    assert document.versions.count() == 2
    claim.refresh_from_db()
    assert claim.status == Claim.Status.NEEDS_REREVIEW
    alert = claim.events.get(kind=ClaimEvent.Kind.RECHECK_ALERT)
    assert "contract.txt" in alert.message and alert.data["old"]["snapshot"] == old_snapshot
    evidence.refresh_from_db()
    assert evidence.snapshot_id != old_snapshot  # re-scored against the new version
    assert "36 Nora" in evidence.quote
    assert evidence.stance == Evidence.Stance.CONTRADICTS, evidence.reason
    # Only the new version is searchable.
    assert all("48 Nora" not in p.text for p in Passage.objects.filter(document=document))


def test_a_new_version_leaving_the_cited_passage_alone_keeps_the_verdict(reviewer):
    claim, evidence = _cited_claim(reviewer, CONTRACT)
    library_add_file(filename="contract.txt", data=CONTRACT + b"\n\nAnnex: delivery schedule.")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.VERIFIED
    assert not claim.events.filter(kind=ClaimEvent.Kind.RECHECK_ALERT).exists()
    evidence.refresh_from_db()
    assert "48 Nora" in evidence.quote


def test_the_library_provider_runs_first_by_default_and_finds_documents(settings):
    from worker.search import get_providers, search_all

    assert [p.name for p in get_providers()][0] == "library"
    provider = get_providers(["library"])[0]
    assert provider.search("Nora B-52NG", 5) == []  # an empty library answers nothing
    document, _ = library_add_file(
        filename="inventory.txt",
        data=b"Inventory\n\nAzerbaijan fields 48 Nora B-52NG howitzers bought from Serbia.",
    )
    hits = search_all(["Nora B-52NG howitzers"], providers=get_providers(["library"]))
    assert [(h.url, h.provider, h.rank) for h in hits] == [(document.source.url, "library", 1)]
    assert "48 Nora B-52NG" in hits[0].snippet
