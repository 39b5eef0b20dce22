"""Evidence bundles: a verdict's web snapshots and library documents as a valid WACZ.

The web source is fetched through the real capture path from a loopback server, so its
request, response headers and IP address are the ones recorded; `wacz validate` (the
webrecorder tool) checks the bundle.
"""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from warcio.archiveiterator import ArchiveIterator

from claims.models import Source
from claims.services.articles import article_ingest_text
from claims.services.library import library_add_file
from claims.services.reviews import claim_record_verdict
from tests.factories import api_client
from tests.integration.test_discovery_e2e import ARTICLE, HOWITZER_PAGE
from tests.library_files import make_pdf
from worker.fetch import fetch_source
from worker.score import store_score

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

PDF = make_pdf(
    [
        ["Procurement report"],
        ["Azerbaijan signed for 48 Nora B-52NG self-propelled howitzers from Serbia in 2023."],
    ],
    title="Procurement report",
)
WACZ_TOOL = Path(sys.executable).with_name("wacz")


@pytest.fixture
def reviewed_claim(web, loopback_allowed, reviewer):
    web.set_page("/defence/nora", HOWITZER_PAGE, headers={"Content-Type": "text/html"})
    article = article_ingest_text(text=ARTICLE, research=False)
    claim = article.claims.get(text__contains="48 self-propelled")
    source = Source.objects.create(url=web.url("/defence/nora"), domain="127.0.0.1")
    snapshot = fetch_source(source).snapshot
    document, _ = library_add_file(filename="procurement.pdf", data=PDF, collection="desk")
    cited = [
        store_score(
            claim=claim, source=source, snapshot=snapshot, found_via="search", provider="x"
        ),
        store_score(
            claim=claim,
            source=document.source,
            snapshot=document.versions.get().snapshot,
            found_via="search",
            provider="library",
        ),
    ]
    claim.refresh_from_db()
    claim_record_verdict(
        claim=claim,
        reviewer=reviewer,
        verdict="verified",
        rationale="Serbia's delivery and the procurement report agree on 48 howitzers.",
        evidence=cited,
        version=claim.version,
    )
    return claim, snapshot, document


def validate(path: Path) -> str:
    result = subprocess.run(
        [str(WACZ_TOOL), "validate", "-f", str(path)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_the_bundle_is_a_valid_wacz_of_the_verdicts_evidence(
    reviewed_claim, reader, reviewer, tmp_path
):
    claim, snapshot, document = reviewed_claim
    response = api_client(reader).get(f"/api/claims/{claim.pk}/bundle.wacz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/wacz"
    assert f"claim-{claim.pk}-evidence.wacz" in response["Content-Disposition"]
    path = tmp_path / "bundle.wacz"
    path.write_bytes(response.content)
    assert "Validation succeeded" in validate(path)

    archive = zipfile.ZipFile(io.BytesIO(response.content))
    package = json.loads(archive.read("datapackage.json"))
    assert package["wacz_version"] == "1.1.1"
    listed = {r["path"]: r for r in package["resources"]}
    assert set(listed) == {
        "archive/data.warc.gz",
        "indexes/index.cdx",
        "pages/pages.jsonl",
        "evidence/manifest.json",
    }
    for path_in_zip, resource in listed.items():
        data = archive.read(path_in_zip)
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert resource["bytes"] == len(data)
    assert archive.getinfo("archive/data.warc.gz").compress_type == zipfile.ZIP_STORED

    manifest = json.loads(archive.read("evidence/manifest.json"))
    assert manifest["verdict"] == "verified"
    assert manifest["rationale"].startswith("Serbia's delivery")
    assert manifest["reviewer"] == reviewer.username
    assert manifest["claim"]["text"] == claim.text
    quotes = {e["url"]: e for e in manifest["evidence"]}
    web_entry = quotes[snapshot.final_url]
    assert web_entry["quote"] == snapshot.text[web_entry["quote_start"] : web_entry["quote_end"]]
    doc_entry = quotes[document.source.url]
    assert doc_entry["document"] == {"id": document.pk, "filename": "procurement.pdf", "page": 2}

    records = {}
    for record in ArchiveIterator(io.BytesIO(archive.read("archive/data.warc.gz"))):
        uri = record.rec_headers.get_header("WARC-Target-URI")
        records[(record.rec_type, uri)] = (record, record.content_stream().read())
    response_record, body = records[("response", snapshot.final_url)]
    assert body == snapshot.body and b"Yugoimport" in body
    assert response_record.rec_headers.get_header("WARC-IP-Address") == "127.0.0.1"
    assert response_record.http_headers.get_statuscode() == "200"
    assert response_record.http_headers.get_header("Content-Type") == "text/html"
    request_record, _ = records[("request", snapshot.final_url)]
    assert request_record.http_headers.get_header("User-Agent").startswith("FactcheckBot")
    resource_uri = doc_entry["archived_as"]
    resource, pdf_bytes = records[("resource", resource_uri)]
    assert pdf_bytes == PDF
    assert resource.rec_headers.get_header("Content-Type") == "application/pdf"
    index = archive.read("indexes/index.cdx").decode()
    assert snapshot.final_url in index and resource_uri in index
    pages = archive.read("pages/pages.jsonl").decode().splitlines()
    assert json.loads(pages[1])["url"] == snapshot.final_url


def test_export_bundle_writes_the_same_bundle(reviewed_claim, tmp_path):
    claim, _snapshot, _document = reviewed_claim
    out = tmp_path / "out.wacz"
    call_command("export_bundle", str(claim.pk), str(out), stdout=io.StringIO())
    validate(out)
    names = zipfile.ZipFile(out).namelist()
    assert "evidence/manifest.json" in names and "archive/data.warc.gz" in names
    with pytest.raises(CommandError, match="no claim"):
        call_command("export_bundle", "999999", str(out))


def test_a_claim_without_verdict_or_a_stranger_gets_a_clear_error(reader):
    article = article_ingest_text(text=ARTICLE, research=False)
    claim = article.claims.first()
    client = api_client(reader)
    response = client.get(f"/api/claims/{claim.pk}/bundle.wacz")
    assert response.status_code == 409
    assert "no verdict" in response.json()["detail"]
    assert client.get("/api/claims/999999/bundle.wacz").status_code == 404
    from rest_framework.test import APIClient

    assert APIClient().get(f"/api/claims/{claim.pk}/bundle.wacz").status_code in (401, 403)
    assert reverse("api:claim-bundle", args=[claim.pk]).endswith("/bundle.wacz")
