"""Failures are visible: failed search providers on the claim, the article, in `ingest --json`
(warnings, --strict), Retry research; JSON errors; no kombu noise on commands."""

from __future__ import annotations

import io
import json
import os

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from claims import queue
from claims.models import Article, Claim
from claims.selectors.article import article_progress
from claims.services.articles import article_ingest_text
from tests.integration.test_settings import run_manage
from worker.discover import discover_claim

ARTICLE = """Azerbaijan expands its artillery

The purchase of 48 self-propelled Nora B-52NG howitzers from Serbia marks a significant step in \
Azerbaijan's effort to restructure its heavy artillery.

The country also operates at least 600 MLRS units, including 100 guided systems.
"""


@pytest.fixture
def failing_search(settings, search_api):
    """Wikipedia answers 500; SearxNG answers (nothing found)."""
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = True
    settings.FACTCHECK_FETCH_DOMAIN_DELAY = 0
    settings.FACTCHECK_SEARCH_PROVIDERS = ["searxng", "wikipedia"]
    settings.FACTCHECK_SEARXNG_URL = search_api.url("searxng")
    settings.FACTCHECK_WIKIPEDIA_API_URL = search_api.url("wikipedia")
    search_api.fail("wikipedia", "500")
    return search_api


@pytest.mark.django_db
def test_failed_provider_is_said_on_the_claim_and_the_article(
    client, reviewer, failing_search, sent
):
    article = article_ingest_text(text=ARTICLE, research=False)
    claims = list(article.claims.order_by("pk"))
    for claim in claims:
        discover_claim(claim.pk)
    claim = Claim.objects.get(pk=claims[0].pk)
    assert claim.status == Claim.Status.NEEDS_REVIEW
    assert [p["provider"] for p in claim.research_problems] == ["wikipedia"]
    assert "HTTP 500" in claim.research_problems[0]["error"]

    progress = article_progress(article=article)
    assert progress.done and progress.state == "done with problems"
    assert progress.warnings[0]["provider"] == "wikipedia"
    assert progress.warnings[0]["claims"] == [c.pk for c in claims]

    client.force_login(reviewer)
    page = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    assert "search unavailable: wikipedia — HTTP 500" in page
    assert reverse("claim_research_retry", args=[claim.pk]) in page
    page = client.get(reverse("article_detail", args=[article.pk])).content.decode()
    assert "done with problems" in page and "search unavailable: wikipedia" in page
    assert reverse("article_research_retry", args=[article.pk]) in page
    api = client.get(reverse("api:article-progress", kwargs={"pk": article.pk})).json()
    assert api["state"] == "done with problems" and api["warnings"][0]["provider"] == "wikipedia"

    # Retry research: the claims go back to research.
    sent.clear()
    response = client.post(reverse("article_research_retry", args=[article.pk]))
    assert response.status_code == 302
    assert {c.status for c in article.claims.all()} == {Claim.Status.PENDING}
    assert sorted(args[0] for name, args, _ in sent if name == queue.DISCOVER_CLAIM) == [
        c.pk for c in claims
    ]


@pytest.mark.django_db
def test_research_without_problems_is_done(settings, search_api, sent):
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = True
    settings.FACTCHECK_SEARCH_PROVIDERS = ["searxng"]
    settings.FACTCHECK_SEARXNG_URL = search_api.url("searxng")
    article = article_ingest_text(text=ARTICLE, research=False)
    for claim in article.claims.all():
        discover_claim(claim.pk)
    progress = article_progress(article=article)
    assert progress.state == "done" and progress.warnings == ()
    assert not Claim.objects.exclude(research_problems=[]).exists()


@pytest.mark.django_db
def test_a_claim_with_a_verdict_is_not_researched_again(client, reviewer, sent):
    article = article_ingest_text(text=ARTICLE, research=False)
    claim = article.claims.first()
    Claim.objects.filter(pk=claim.pk).update(
        status=Claim.Status.VERIFIED,
        research_problems=[{"provider": "gdelt", "error": "timeout"}],
    )
    client.force_login(reviewer)
    client.post(reverse("claim_research_retry", args=[claim.pk]))
    claim.refresh_from_db()
    assert claim.status == Claim.Status.VERIFIED and not sent


def test_ingest_wait_json_has_warnings_and_strict_exits_non_zero(
    failing_search, celery_worker, tmp_path
):
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE)
    out = io.StringIO()
    call_command("ingest", str(path), "--wait", "--json", "--timeout", "60", stdout=out)
    data = json.loads(out.getvalue())
    ids = sorted(c["id"] for c in data["claims"])
    assert ids and data["warnings"] == [
        {"provider": "wikipedia", "error": data["warnings"][0]["error"], "claims": ids}
    ]
    assert "HTTP 500" in data["warnings"][0]["error"]

    out = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command(
            "ingest", str(path), "--wait", "--json", "--strict", "--timeout", "60", stdout=out
        )
    assert failed.value.returncode == 2
    # stdout stays one JSON document: the report with its warnings, no second object.
    assert json.loads(out.getvalue())["warnings"][0]["provider"] == "wikipedia"


@pytest.mark.django_db
def test_json_commands_write_errors_as_json(tmp_path):
    out = io.StringIO()
    missing = tmp_path / "missing.txt"
    with pytest.raises(CommandError):
        call_command("ingest", str(missing), "--json", "--no-discover", stdout=out)
    assert json.loads(out.getvalue()) == {"error": f"No such file: {missing}", "code": 1}
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("recheck", "--source", "999999", "--json", stdout=out)
    assert json.loads(out.getvalue())["error"] == "No source with id 999999."
    assert not Article.objects.exists()


def test_commands_that_send_tasks_print_no_kombu_hostname_warning(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    env["FACTCHECK_DATA_DIR"] = str(tmp_path)
    code = (
        # The broker folders of the data dir, as `manage.py bootstrap` makes them.
        "from factcheck.datadir import prepare_data_dir; prepare_data_dir(); "
        "from celery import current_app; "
        "current_app.send_task('worker.tasks.discovery.research_claim', args=(1,)); print('sent')"
    )
    result = run_manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    assert "sent" in result.stdout
    assert "No hostname" not in result.stderr + result.stdout
    assert any((tmp_path / "broker" / "queue").iterdir())  # the task really went out
