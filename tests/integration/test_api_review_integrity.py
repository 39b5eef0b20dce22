"""Review integrity through the API: verdicts rest on evidence that was read (400s)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.models import Claim, Evidence, Review, Source
from tests.factories import api_client, make_article, make_claim, make_evidence

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords", "sent")]


@pytest.fixture
def claim():
    return make_claim(make_article(), 0)


def unread_evidence(claim: Claim, status: str = Source.Status.FAILED) -> Evidence:
    source = Source.objects.create(
        url="https://offline.example.org/page",
        domain="offline.example.org",
        status=status,
        failure_reason="name not resolved",
    )
    return Evidence.objects.create(claim=claim, source=source, found_via=Evidence.FoundVia.REVIEWER)


def post_review(user, claim, **body):
    return api_client(user).post(
        reverse("api:claim-reviews", kwargs={"pk": claim.pk}),
        {"rationale": "Because.", "version": claim.version, **body},
        format="json",
    )


@pytest.mark.parametrize("verdict", ["verified", "disputed"])
def test_verified_or_disputed_without_evidence_is_400(reviewer, claim, verdict):
    response = post_review(reviewer, claim, verdict=verdict)
    assert response.status_code == 400, response.content
    body = response.json()
    assert set(body["errors"]) == {"evidence"}
    assert "must cite at least one source that was read" in body["detail"]
    claim.refresh_from_db()
    assert claim.status == Claim.Status.NEEDS_REVIEW and not Review.objects.exists()


@pytest.mark.parametrize("status", [Source.Status.FAILED, Source.Status.NEW])
def test_citing_a_source_that_was_not_read_is_400(reviewer, claim, status):
    unread = unread_evidence(claim, status)
    response = post_review(reviewer, claim, verdict="verified", evidence=[unread.pk])
    assert response.status_code == 400, response.content
    assert "only cite sources that were read" in response.json()["detail"]
    # Citing a read source beside it does not make the unread one citable.
    read = make_evidence(claim)
    response = post_review(reviewer, claim, verdict="verified", evidence=[read.pk, unread.pk])
    assert response.status_code == 400
    assert not Review.objects.exists()


def test_unverifiable_needs_a_rationale_only(reviewer, claim):
    response = post_review(reviewer, claim, verdict="unverifiable")
    assert response.status_code == 201, response.content
    claim.refresh_from_db()
    assert claim.status == Claim.Status.UNVERIFIABLE


def test_verified_citing_read_evidence_is_recorded(reviewer, claim):
    read = make_evidence(claim)
    response = post_review(reviewer, claim, verdict="verified", evidence=[read.pk])
    assert response.status_code == 201, response.content
    assert response.json()["evidence"] == [read.pk]
