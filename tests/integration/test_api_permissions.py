"""Every API endpoint for every role: anonymous, reader, reviewer, editor."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from claims import queue
from claims.models import ClaimMatch
from tests.factories import api_client, make_article, make_claim, make_evidence, make_review

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

ROLES = ["anonymous", "reader", "reviewer", "editor"]


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    sent = []
    monkeypatch.setattr(queue, "enqueue", lambda name, *a, **kw: sent.append((name, a, kw)))
    return sent


@pytest.fixture
def users(reader, reviewer, editor):
    return {"anonymous": None, "reader": reader, "reviewer": reviewer, "editor": editor}


@pytest.fixture
def data(reviewer):
    article = make_article()
    claim = make_claim(article, 0)
    evidence = make_evidence(claim)
    make_review(claim, reviewer, evidence=[evidence])
    open_claim = make_claim(article, 1)
    match = ClaimMatch.objects.create(claim=open_claim, matched_claim=claim, score=0.9)
    return {
        "article": article,
        "claim": claim,
        "evidence": evidence,
        "open_claim": open_claim,
        "match": match,
    }


def _requests(data, users):
    a, c, o = data["article"].pk, data["claim"].pk, data["open_claim"]
    return {
        "articles-list": ("get", reverse("api:article-list"), None),
        "articles-create": (
            "post",
            reverse("api:article-list"),
            {"url": "https://news.example.org/story"},
        ),
        "articles-detail": ("get", reverse("api:article-detail", kwargs={"pk": a}), None),
        "articles-progress": ("get", reverse("api:article-progress", kwargs={"pk": a}), None),
        "articles-publish": ("post", reverse("api:article-publish", kwargs={"pk": a}), {}),
        "claims-list": ("get", reverse("api:claim-list"), None),
        "claims-detail": ("get", reverse("api:claim-detail", kwargs={"pk": c}), None),
        "claims-assign": (
            "post",
            reverse("api:claim-assign", kwargs={"pk": o.pk}),
            {"assignee": users["reviewer"].username},
        ),
        "claims-evidence": (
            "post",
            reverse("api:claim-evidence", kwargs={"pk": o.pk}),
            {"url": "https://example.org/source"},
        ),
        "claims-reviews": (
            "post",
            reverse("api:claim-reviews", kwargs={"pk": o.pk}),
            {"verdict": "unverifiable", "rationale": "No source.", "version": o.version},
        ),
        "claims-dismiss-match": (
            "post",
            reverse("api:claim-match-dismiss", kwargs={"pk": o.pk, "match_id": data["match"].pk}),
            None,
        ),
        "sources-detail": (
            "get",
            reverse("api:source-detail", kwargs={"pk": data["evidence"].source_id}),
            None,
        ),
    }


# endpoint -> expected status per role (anonymous, reader, reviewer, editor)
EXPECTED = {
    "articles-list": (401, 200, 200, 200),
    "articles-create": (401, 403, 202, 202),
    "articles-detail": (401, 200, 200, 200),
    "articles-progress": (401, 200, 200, 200),
    "articles-publish": (401, 403, 403, 200),
    "claims-list": (401, 200, 200, 200),
    "claims-detail": (401, 200, 200, 200),
    "claims-assign": (401, 403, 200, 200),
    "claims-evidence": (401, 403, 201, 201),
    "claims-reviews": (401, 403, 201, 201),
    "claims-dismiss-match": (401, 403, 200, 200),
    "sources-detail": (401, 200, 200, 200),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", sorted(EXPECTED))
def test_endpoint_permissions_per_role(endpoint, role, users, data):
    method, url, body = _requests(data, users)[endpoint]
    client = api_client(users[role])
    response = getattr(client, method)(url, body, format="json")
    expected = EXPECTED[endpoint][ROLES.index(role)]
    assert response.status_code == expected, response.content
    assert response["Content-Type"].startswith("application/json")
    if expected in (401, 403):
        assert response.json()["detail"]


def test_session_authentication_works_and_enforces_csrf(reviewer, data):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(reviewer)
    assert client.get(reverse("api:claim-list")).status_code == 200
    url = reverse("api:claim-evidence", kwargs={"pk": data["open_claim"].pk})
    response = client.post(url, {"url": "https://example.org/a"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_schema_and_docs_are_public(client):
    assert client.get(reverse("api:schema")).status_code == 200
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    assert b"/api/claims/{id}/reviews/" in response.content
    assert b"<script" not in response.content
