"""Claim matches through the API: their ids in `matches`, and dismissing one (the service the
claim page's Dismiss button uses)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.models import ClaimEvent, ClaimMatch, FactCheck
from claims.services.articles import article_ingest_text
from claims.services.factchecks import factcheck_upsert
from claims.services.matching import factchecks_match
from tests.factories import api_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

EARLIER = "Azerbaijan bought 48 Nora B-52 self-propelled howitzers from Serbia, officials said."
LATER = "Azerbejdžan je od Srbije kupio 48 samohodnih haubica Nora B-52, rekli su zvaničnici."


@pytest.fixture
def claims(sent):
    """An earlier claim, a fact-check, then a later re-statement matching both."""
    earlier = article_ingest_text(text=EARLIER, title="Earlier", research=False).claims.get()
    factcheck, _ = factcheck_upsert(
        claim_text="Serbia sold 48 Nora B-52 howitzers to Azerbaijan.",
        url="https://factcheck.example/nora",
        source=FactCheck.Origin.IMPORTED,
        publisher="Example Check",
        rating="Half right",
    )
    factchecks_match(factchecks=[factcheck])
    later = article_ingest_text(text=LATER, title="Later", research=False).claims.get()
    return {"earlier": earlier, "later": later, "factcheck": factcheck}


def _url(claim_id: int, match_id: int) -> str:
    return reverse("api:claim-match-dismiss", kwargs={"pk": claim_id, "match_id": match_id})


def test_dismissing_a_match_through_the_api_hides_it_for_good(reviewer, claims):
    later = claims["later"]
    client = api_client(reviewer)
    detail = client.get(reverse("api:claim-detail", kwargs={"pk": later.pk})).json()
    by_target = {(m["claim"], m["factcheck"]): m["id"] for m in detail["matches"]}
    match_id = by_target[(None, claims["factcheck"].pk)]
    assert match_id == ClaimMatch.objects.get(claim=later, factcheck=claims["factcheck"]).pk

    response = client.post(_url(later.pk, match_id))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == later.pk
    assert [m["claim"] for m in body["matches"]] == [claims["earlier"].pk]  # the other stays
    match = ClaimMatch.objects.get(pk=match_id)
    assert match.dismissed_at is not None and match.dismissed_by == reviewer
    [event] = ClaimEvent.objects.filter(claim=later, data__match=match_id)
    assert event.actor == reviewer and event.message.startswith("Dismissed the suggested match")

    # Idempotent: again is 200, nothing changes, no second event.
    again = client.post(_url(later.pk, match_id))
    assert again.status_code == 200 and again.json()["matches"] == body["matches"]
    assert ClaimMatch.objects.get(pk=match_id).dismissed_at == match.dismissed_at
    assert ClaimEvent.objects.filter(claim=later, data__match=match_id).count() == 1

    # Never suggested again: matching again does not revive it, in the detail or the list.
    factchecks_match(factchecks=[claims["factcheck"]])
    assert ClaimMatch.objects.get(pk=match_id).dismissed_at is not None
    detail = client.get(reverse("api:claim-detail", kwargs={"pk": later.pk})).json()
    assert match_id not in [m["id"] for m in detail["matches"]]
    listed = client.get(reverse("api:claim-list"), {"article": later.article_id}).json()
    [row] = listed["results"]
    assert [m["claim"] for m in row["matches"]] == [claims["earlier"].pk]


def test_an_editor_may_dismiss_too(editor, claims):
    match = ClaimMatch.objects.get(claim=claims["later"], matched_claim=claims["earlier"])
    response = api_client(editor).post(_url(claims["later"].pk, match.pk))
    assert response.status_code == 200, response.content
    assert ClaimMatch.objects.get(pk=match.pk).dismissed_by == editor


def test_a_match_of_another_claim_or_an_unknown_one_is_a_json_404(reviewer, claims):
    later, earlier = claims["later"], claims["earlier"]
    match = ClaimMatch.objects.get(claim=later, matched_claim=earlier)
    client = api_client(reviewer)
    for url in (
        _url(earlier.pk, match.pk),  # the match belongs to the later claim
        _url(later.pk, 10**15),
        _url(10**15, match.pk),
        f"/api/claims/{later.pk}/matches/abc/dismiss/",
    ):
        response = client.post(url)
        assert response.status_code == 404, url
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["detail"]
    assert ClaimMatch.objects.get(pk=match.pk).dismissed_at is None


@pytest.mark.parametrize("role, expected", [("anonymous", 401), ("reader", 403)])
def test_only_reviewers_and_editors_dismiss(role, expected, reader, claims):
    match = ClaimMatch.objects.get(claim=claims["later"], matched_claim=claims["earlier"])
    client = api_client(reader if role == "reader" else None)
    response = client.post(_url(claims["later"].pk, match.pk))
    assert response.status_code == expected, response.content
    assert response.json()["detail"]
    assert ClaimMatch.objects.get(pk=match.pk).dismissed_at is None
    assert client.get(reverse("api:claim-detail", kwargs={"pk": match.claim_id})).status_code == (
        200 if role == "reader" else 401
    )


def test_the_endpoint_is_listed_and_in_the_schema(client, db):
    endpoints = {(e["method"], e["path"]) for e in client.get("/api/").json()["endpoints"]}
    assert ("POST", "/api/claims/{id}/matches/{match_id}/dismiss/") in endpoints
    schema = client.get(reverse("api:schema") + "?format=json").json()
    operation = schema["paths"]["/api/claims/{id}/matches/{match_id}/dismiss/"]["post"]
    assert {"200", "401", "403", "404"} <= set(operation["responses"])
    assert "id" in schema["components"]["schemas"]["ClaimMatch"]["properties"]
