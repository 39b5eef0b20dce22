"""The ClaimReview JSON feed round-trips with the page markup; the CSV export per article."""

from __future__ import annotations

import csv
import io
import json

import extruct
import pytest
from django.urls import reverse

from claims.services.publishing import article_publish
from tests.factories import make_article, make_claim, make_evidence, make_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(reviewer, editor):
    article = make_article()
    claim = make_claim(article, 0, text='=HYPERLINK("http://evil") 48 howitzers')
    make_review(claim, reviewer, "verified", evidence=[make_evidence(claim)])
    other = make_claim(article, 1)
    make_review(other, reviewer, "unverifiable", rationale="No source.")
    make_claim(article, 2)  # never reviewed, never published
    article_publish(article=article, editor=editor)
    return article


def test_article_json_feed_round_trips_with_the_page_markup(client, article):
    page = client.get(reverse("publishing:article", kwargs={"pk": article.pk}))
    feed_response = client.get(reverse("publishing:article_json", kwargs={"pk": article.pk}))
    assert feed_response["Content-Type"].startswith("application/json")
    feed = json.loads(json.dumps(feed_response.json()))
    assert feed["@context"] == "https://schema.org" and feed["@type"] == "DataFeed"
    markup = extruct.extract(page.content.decode(), syntaxes=["json-ld"])["json-ld"]
    from_page = [{k: v for k, v in r.items() if k != "@context"} for r in markup]
    assert feed["dataFeedElement"] == from_page
    assert len(from_page) == 2


def test_site_feed_lists_every_published_claimreview(client, article, reviewer, editor):
    second = make_article(title="Second", content_hash="second")
    claim = make_claim(second, 1)
    make_review(claim, reviewer, "disputed", rationale="Contradicted.")
    article_publish(article=second, editor=editor)
    feed = client.get(reverse("publishing:feed")).json()
    reviewed = [r["claimReviewed"] for r in feed["dataFeedElement"]]
    assert len(reviewed) == 3 and claim.text in reviewed


def test_csv_export_per_article_has_published_claims_only_and_is_formula_safe(client, article):
    response = client.get(reverse("publishing:article_csv", kwargs={"pk": article.pk}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["verdict"] for r in rows] == ["verified", "unverifiable"]
    assert rows[0]["claim"].startswith("'=HYPERLINK")
    assert rows[0]["sources"] == "https://sipri.example.org/report"
