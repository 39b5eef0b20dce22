"""The test factories build rows that hold together (tests/factories.py)."""

from __future__ import annotations

import pytest

from tests.factories import (
    make_article,
    make_claim,
    make_evidence,
    make_review,
    make_ui_article,
    make_ui_evidence,
)


@pytest.mark.django_db
def test_helpers_build_a_reviewed_claim(reviewer):
    claim = make_claim(make_article())
    evidence = make_evidence(claim)
    review = make_review(claim, reviewer, evidence=[evidence])
    assert claim.article.text[claim.start : claim.end] == claim.text
    assert claim.status == "verified" and list(review.evidence.all()) == [evidence]


@pytest.mark.django_db
def test_ui_scene_links_claims_to_their_sentences():
    article = make_ui_article()
    assert article.sentences.filter(is_heading=True).count() == 2
    claim = make_claim(article, "600 MLRS units")
    assert claim.sentence.start <= claim.start < claim.end <= claim.sentence.end
    assert claim.events.filter(kind="extracted").count() == 1
    evidence = make_ui_evidence(claim)
    assert evidence.snapshot.text[evidence.quote_start : evidence.quote_end] == evidence.quote
    assert evidence.source.status == "ok"
