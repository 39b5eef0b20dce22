"""`manage.py extract` (no database) and the checkworthiness evaluation on a small TSV."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

SEED = Path(__file__).resolve().parents[2] / "claims" / "demo" / "article.txt"


def _run(*args, stdin: str | None = None, monkeypatch=None) -> str:
    out = io.StringIO()
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8"))))
    call_command(*args, stdout=out)
    return out.getvalue()


def test_extract_json_offsets_index_the_file():
    text = SEED.read_text(encoding="utf-8")
    rows = json.loads(_run("extract", str(SEED), "--json"))
    assert len(rows) >= 20
    for row in rows:
        assert set(row) == {"text", "start", "end", "score", "kind", "quantities", "entities"}
        assert 0 <= row["start"] < row["end"] <= len(text)
        assert 0.5 <= row["score"] <= 1.0
        assert row["kind"] in {"quantity", "event", "attribution", "relation", "comparison"}
    howitzers = next(r for r in rows if "Nora B-52NG" in r["text"])
    assert text[howitzers["start"] : howitzers["end"]] == howitzers["text"]
    assert {"value": 48.0, "unit": "howitzers", "text": "48", "upper": None, "qualifier": ""} in (
        howitzers["quantities"]
    )


def test_extract_from_stdin(monkeypatch):
    text = "Serbia sold 48 howitzers to Azerbaijan in 2024.\nThis may change things.\n"
    rows = json.loads(_run("extract", "-", "--json", stdin=text, monkeypatch=monkeypatch))
    assert [(r["start"], r["end"]) for r in rows] == [(0, 47)]


def test_extract_readable_output_and_empty_input(tmp_path):
    assert "claims from" in _run("extract", str(SEED))
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert "No claims found" in _run("extract", str(empty))
    assert json.loads(_run("extract", str(empty), "--json")) == []


def test_extract_missing_file():
    with pytest.raises(CommandError, match="cannot read"):
        _run("extract", "/nonexistent/article.txt")


def test_extract_non_utf8_file(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Le général a acheté 48 obusiers à la Serbie en 2024.".encode("latin-1"))
    rows = json.loads(_run("extract", str(path), "--json"))
    assert isinstance(rows, list)


def test_evaluate_checkworthiness_small_tsv(tmp_path):
    path = tmp_path / "labelled.tsv"
    path.write_text(
        "text\tlabel\n"
        "Azerbaijan bought 48 howitzers from Serbia in 2024.\t1\n"
        "Unemployment rose to 9 percent last year, the ministry said.\t1\n"
        "I think that's a great question.\t0\n"
        '"Thank you very much.\t0\n',
        encoding="utf-8",
    )
    result = json.loads(_run("evaluate", "checkworthiness", str(path), "--json"))
    assert result == {"n": 4, "precision": 1.0, "recall": 1.0, "f1": 1.0, "threshold": 0.5}


@pytest.mark.parametrize(
    "content", ["", "sentence\tscore\nabc\t1\n", "text\tlabel\nabc\t2\n", "text\tlabel\n"]
)
def test_evaluate_rejects_bad_tsv(tmp_path, content):
    path = tmp_path / "bad.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError):
        _run("evaluate", "checkworthiness", str(path))
