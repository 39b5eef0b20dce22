"""Hostile requests: every one ends in a clear 4xx or in stored, storable rows.

NUL in articles from a file, a URL, the UI and the API; bodies over the limit; ids and
paths outside the API's patterns; invalid ports; a cap on claims per article; long text
read by a real worker instead of the request.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from claims import queue
from claims.models import Article, Claim
from claims.services.sources import clean_source_url
from tests.factories import api_client
from tests.integration.test_api_articles import TEXT
from tests.waiting import wait_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

# An article whose first 64 KB are text (so it is not refused as binary) and then a NUL.
LONG_PREFIX = ("Background paragraph with no figures to speak of, written at length.\n\n") * 1000
NUL_ARTICLE = LONG_PREFIX + TEXT.replace("howitzers", "howitzers\x00")


def stored_cleanly(article: Article) -> None:
    article.refresh_from_db()
    assert "\x00" not in article.text
    assert "48 self-propelled Nora B-52NG howitzers from Serbia" in article.text
    assert article.claims.filter(text__contains="48 self-propelled").exists()


def test_a_file_with_a_nul_after_64_kb_is_ingested_cleaned(tmp_path):
    path = tmp_path / "article.txt"
    path.write_bytes(NUL_ARTICLE.encode())
    out = io.StringIO()
    call_command("ingest", str(path), "--no-discover", stdout=out)
    stored_cleanly(Article.objects.get())


def test_a_file_that_is_binary_from_the_start_is_a_clear_error(tmp_path):
    from django.core.management import CommandError

    path = tmp_path / "blob.bin"
    path.write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(CommandError, match="binary"):
        call_command("ingest", str(path), "--no-discover", stdout=io.StringIO())
    assert not Article.objects.exists()


def test_an_upload_with_a_nul_after_64_kb_is_stored_cleaned(client, reviewer, sent, settings):
    settings.FACTCHECK_INLINE_ARTICLE_CHARS = 10**7
    client.force_login(reviewer)
    upload = io.BytesIO(NUL_ARTICLE.encode())
    upload.name = "article.txt"
    response = client.post(reverse("article_submit"), {"file": upload})
    assert response.status_code == 302, response.content[:500]
    stored_cleanly(Article.objects.get())


def test_pasted_text_with_a_nul_is_a_clear_400_in_the_ui(client, reviewer, sent):
    client.force_login(reviewer)
    response = client.post(reverse("article_submit"), {"text": "48 buses\x00 arrived."})
    assert response.status_code == 400
    assert b"Null characters are not allowed" in response.content
    assert not Article.objects.exists()


def test_api_text_with_a_nul_is_a_json_400(reviewer, sent):
    response = api_client(reviewer).post(
        reverse("api:article-list"), {"text": "48 buses\x00 arrived."}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "text" in response.json()["errors"]
    assert not Article.objects.exists()


def test_an_article_page_with_a_nul_is_ingested_cleaned(web, settings):
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = True
    settings.FACTCHECK_FETCH_DOMAIN_DELAY = 0
    web.set_page("/nul-article.txt", NUL_ARTICLE, headers={"Content-Type": "text/plain"})
    call_command("ingest", web.url("/nul-article.txt"), "--no-discover", stdout=io.StringIO())
    stored_cleanly(Article.objects.get())


def test_a_body_over_the_limit_is_a_json_413(reviewer, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    body = '{"text": "' + "a" * (5 * 1024 * 1024) + '"}'
    response = api_client(reviewer).post(
        reverse("api:article-list"), body, content_type="application/json"
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "too_large"
    assert "1,048,576 bytes" in response.json()["detail"]
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/api/articles/1.5/",
        "/api/articles/abc/",
        "/api/claims/99999999999999999999999/",
        "/api/claims/1/no-such-action/",
        "/api/nothing-here/",
    ],
)
def test_any_unknown_api_address_is_a_json_404(reader, path):
    response = api_client(reader).get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


@pytest.mark.parametrize("url", ["https://a.example:99999/x", "https://a.example:0/x"])
def test_an_invalid_port_is_refused_with_a_clear_error(reviewer, sent, url):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="invalid port"):
        clean_source_url(url)
    response = api_client(reviewer).post(reverse("api:article-list"), {"url": url}, format="json")
    assert response.status_code == 400
    assert "port" in response.json()["detail"]
    assert not Article.objects.exists()


def test_claims_over_the_cap_are_dropped_and_the_article_says_so(reviewer, sent, settings):
    settings.FACTCHECK_MAX_CLAIMS_PER_ARTICLE = 1
    settings.FACTCHECK_RESEARCH_BATCH = 1
    client = api_client(reviewer)
    response = client.post(reverse("api:article-list"), {"text": TEXT}, format="json")
    article = Article.objects.get(pk=response.json()["id"])
    assert article.claims.count() == 1
    assert article.notice.startswith("First 1 claims kept")
    assert client.get(response.json()["url"]).json()["notice"] == article.notice
    assert [name for name, *_ in sent] == [queue.DISCOVER_CLAIMS]


@pytest.mark.django_db(transaction=True)
def test_long_text_is_read_by_the_worker_not_the_request(reviewer, settings, celery_worker, client):
    settings.FACTCHECK_INLINE_ARTICLE_CHARS = 100
    settings.FACTCHECK_SEARCH_PROVIDERS = []
    response = api_client(reviewer).post(
        reverse("api:article-list"), {"text": TEXT, "title": "Long"}, format="json"
    )
    assert response.status_code == 202
    assert response.json()["status"] == Article.Status.PROCESSING
    article_id = response.json()["id"]
    assert not Claim.objects.filter(article_id=article_id).exists()  # nothing read yet

    wait_for(lambda: Article.objects.get(pk=article_id).status == Article.Status.READY)
    article = Article.objects.get(pk=article_id)
    assert article.title == "Long"
    assert article.claims.filter(text__contains="48 self-propelled").exists()
    # Its research was queued in batches and fanned out by the worker.
    wait_for(
        lambda: not Claim.objects.filter(article_id=article_id, status="pending").exists(),
        timeout=60,
    )


def test_sign_in_is_throttled_after_repeated_failures(client, reviewer, settings):
    login = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(login, {"username": "rita", "password": "wrong"})
        assert response.status_code == 200  # the form again, with its error
    response = client.post(login, {"username": "rita", "password": "wrong"})
    assert response.status_code == 429
    # Locked out: even the right password is refused until the cool-off ends.
    response = client.post(login, {"username": "rita", "password": "pw-rita"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another user name from the same address is not locked out.
    other = client.post(login, {"username": "nobody", "password": "wrong"})
    assert other.status_code == 200
