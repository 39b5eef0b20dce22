"""Articles through the API: create from text or URL (202 + progress), detail, publish."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims import queue
from claims.models import Article
from tests.factories import api_client, make_article, make_claim, make_review

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

TEXT = (
    "Azerbaijan purchased 48 self-propelled Nora B-52NG howitzers from Serbia in 2018.\n\n"
    "The country fields at least 600 MLRS units, including 100 guided systems.\n\n"
    "This trajectory reflects a broader ambition."
)


@pytest.fixture
def sent(monkeypatch):
    sent = []
    monkeypatch.setattr(queue, "enqueue", lambda name, *a, **kw: sent.append((name, a, kw)))
    return sent


def test_create_from_text_answers_202_with_a_progress_link(reviewer, sent):
    client = api_client(reviewer)
    response = client.post(
        reverse("api:article-list"),
        {"text": TEXT, "title": "Artillery", "published_date": "2024-03-01"},
        format="json",
    )
    assert response.status_code == 202, response.content
    body = response.json()
    assert response["Location"] == body["progress_url"]
    progress = client.get(body["progress_url"]).json()
    assert progress["status"] == "ready" and progress["claims"] >= 1
    assert progress["done"] is False  # research is queued for every claim
    detail = client.get(body["url"]).json()
    assert detail["title"] == "Artillery" and detail["public_url"] is None
    assert any("48" in claim["text"] for claim in detail["claims"])
    assert {name for name, _, _ in sent} == {queue.DISCOVER_CLAIMS}  # in batches


def test_create_from_url_queues_the_worker_ingest(reviewer, sent):
    client = api_client(reviewer)
    url = "https://News.Example.com/story?utm_source=x"
    response = client.post(reverse("api:article-list"), {"url": url}, format="json")
    assert response.status_code == 202
    article = Article.objects.get(pk=response.json()["id"])
    assert article.status == Article.Status.PROCESSING
    assert sent == [(queue.INGEST_URL, (article.pk,), {"research": True})]
    assert article.url.startswith("https://") and article.created_by == reviewer
    progress = client.get(response.json()["progress_url"]).json()
    assert progress == {
        "id": article.pk,
        "status": "processing",
        "failure_reason": "",
        "claims": 0,
        "claims_by_status": {s: 0 for s in progress["claims_by_status"]},
        "researching": 0,
        "done": False,
        "state": "researching",
        "warnings": [],
    }
    again = client.post(reverse("api:article-list"), {"url": url}, format="json")
    assert again.json()["id"] == article.pk and len(sent) == 1


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "non_field_errors"),
        ({"url": "", "text": "   "}, "non_field_errors"),
        ({"url": "ftp://example.org/x"}, "url"),
        ({"url": "not a url"}, "url"),
        ({"text": "x", "published_date": "yesterday"}, "published_date"),
        ({"text": "\x00\x01\x02\x03 binary"}, "text"),
    ],
)
def test_invalid_article_input_is_400_with_field_errors(reviewer, sent, body, field):
    response = api_client(reviewer).post(reverse("api:article-list"), body, format="json")
    assert response.status_code == 400, response.content
    payload = response.json()
    assert payload["code"] == "invalid" and payload["detail"]
    assert field in payload["errors"] or "non_field_errors" in payload["errors"]


def test_malformed_json_is_a_400_json_error(reviewer):
    response = api_client(reviewer).post(
        reverse("api:article-list"), "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


def test_publish_gives_the_detail_a_public_url(editor, reviewer, client):
    article = make_article()
    make_review(make_claim(article, 0), reviewer)
    api = api_client(editor)
    response = api.post(reverse("api:article-publish", kwargs={"pk": article.pk}))
    assert response.status_code == 200
    public_url = response.json()["public_url"]
    assert public_url.endswith(reverse("publishing:article", kwargs={"pk": article.pk}))
    assert client.get(public_url).status_code == 200
    detail = api.get(reverse("api:article-detail", kwargs={"pk": article.pk})).json()
    assert detail["public_url"] == public_url and detail["is_published"] is True


def test_publishing_without_reviewed_claims_is_400(editor):
    article = make_article()
    make_claim(article, 0)
    response = api_client(editor).post(reverse("api:article-publish", kwargs={"pk": article.pk}))
    assert response.status_code == 400
    assert "nothing to publish" in response.json()["detail"]


def test_article_list_uses_cursor_pagination(reader):
    for i in range(3):
        make_article(content_hash=f"h{i}", title=f"A{i}")
    client = api_client(reader)
    page = client.get(reverse("api:article-list"), {"page_size": 2}).json()
    assert [a["title"] for a in page["results"]] == ["A2", "A1"]
    rest = client.get(page["next"]).json()
    assert [a["title"] for a in rest["results"]] == ["A0"] and rest["next"] is None


def test_unknown_ids_are_json_404(reader):
    client = api_client(reader)
    response = client.get(reverse("api:article-detail", kwargs={"pk": 987654321}))
    assert response.status_code == 404 and response.json()["detail"]
    assert client.get("/api/claims/99999999999999999999999/").status_code == 404
