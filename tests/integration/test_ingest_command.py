"""`manage.py ingest`: files, stdin, bad input, and the JSON shape other tools read."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from claims.models import Article, Claim, Sentence

SEED = "claims/demo/article.txt"

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]


def run_ingest(*args: str, stdin: bytes | None = None, monkeypatch=None) -> dict:
    out = io.StringIO()
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    call_command("ingest", *args, "--json", "--no-discover", stdout=out)
    return json.loads(out.getvalue())


def test_ingest_a_file_prints_the_article_and_its_claims_with_offsets():
    data = run_ingest(SEED)
    article = Article.objects.get(pk=data["article"]["id"])
    assert data["article"]["title"].startswith("Emerging Actor in the Caucasus")
    assert len(data["claims"]) >= 10
    for item in data["claims"]:
        assert set(item) == {
            "id", "text", "start", "end", "score", "kind", "status", "evidence", "matches"
        }  # fmt: skip
        assert item["matches"] == []  # nothing stored before it
        assert 0 <= item["start"] < item["end"] <= len(article.text)
        assert 0.0 <= item["score"] <= 1.0
        assert item["status"] == "pending"
        assert item["evidence"] == []
    texts = " ".join(c["text"] for c in data["claims"])
    assert "48 self-propelled Nora B-52NG howitzers" in texts
    # Every sentence is kept, claim or not, so a reviewer can promote one.
    assert Sentence.objects.filter(article=article).count() > len(data["claims"])


def test_ingesting_the_same_text_twice_returns_the_stored_article():
    first = run_ingest(SEED)
    second = run_ingest(SEED)
    assert first["article"]["id"] == second["article"]["id"]
    assert Article.objects.count() == 1
    assert Claim.objects.count() == len(first["claims"])


def test_ingest_reads_stdin_and_detects_a_legacy_encoding(monkeypatch):
    text = (
        "Le ministère de la Défense a acheté 48 obusiers Nora B-52NG à la Serbie en 2024, "
        "selon le rapport annuel publié à Bakou. Les premières livraisons ont été effectuées "
        "en février, d'après les déclarations du général chargé de l'artillerie. Le coût total "
        "n'a pas été divulgué, mais les experts évoquent une dépense supérieure à celle prévue."
    )
    payload = text.encode("cp1252")
    data = run_ingest("-", "--title", "Obusiers", stdin=payload, monkeypatch=monkeypatch)
    article = Article.objects.get(pk=data["article"]["id"])
    assert article.title == "Obusiers"
    assert "ministère" in article.text


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"", "empty"),
        (b"   \n\t  ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
    ],
)
def test_bad_input_gets_a_clear_error_and_stores_nothing(tmp_path, payload, message):
    path = tmp_path / "input.txt"
    path.write_bytes(payload)
    with pytest.raises(CommandError, match=message):
        call_command("ingest", str(path), "--no-discover", stdout=io.StringIO())
    assert Article.objects.count() == 0


def test_a_missing_file_is_a_clear_error():
    with pytest.raises(CommandError, match="No such file"):
        call_command("ingest", "/nonexistent/article.txt", stdout=io.StringIO())


def test_a_text_with_no_claims_is_stored_with_an_empty_claim_list():
    from claims.services.articles import article_ingest_text

    article = article_ingest_text(
        text="I think this is lovely.\n\nWhat a day it was!", research=False
    )
    assert article.claims.count() == 0
