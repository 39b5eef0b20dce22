"""The public fact-check page: what readers and structured-data consumers (extruct) see."""

from __future__ import annotations

import json

import extruct
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from claims.models import Claim
from claims.publishing.claimreview import dumps_for_script
from claims.services.publishing import article_publish, article_unpublish
from claims.services.ratings import rating_scale_seed
from tests.factories import make_article, make_claim, make_evidence, make_review

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _rating_scale(db):
    """The newsroom's default scale (a transactional test elsewhere may have flushed it)."""
    rating_scale_seed()


@pytest.fixture
def published(reviewer, editor):
    article = make_article()
    verified = make_claim(article, 0)
    evidence = make_evidence(verified)
    make_review(verified, reviewer, "verified", evidence=[evidence])
    disputed = make_claim(article, 1)
    make_review(disputed, reviewer, "disputed", rationale="Only 400 are documented.")
    pending = make_claim(article, 2, text="Defense spending grows 15-20% a year")
    article_publish(article=article, editor=editor)
    return article, verified, disputed, pending, evidence


def _page(client, article):
    return client.get(reverse("publishing:article", kwargs={"pk": article.pk}))


def test_public_page_needs_no_sign_in_and_shows_published_claims(client, published):
    article, verified, disputed, pending, evidence = published
    response = _page(client, article)
    assert response.status_code == 200
    html = response.content.decode()
    assert article.title in html and article.url in html
    assert verified.text in html and "Verified" in html
    assert disputed.text in html and "Only 400 are documented." in html
    assert evidence.source.url in html
    snapshot_url = reverse("publishing:snapshot", kwargs={"pk": evidence.snapshot_id})
    assert snapshot_url in html
    assert client.get(snapshot_url).status_code == 200  # readers have no sign-in
    assert pending.text not in html


def test_extruct_reads_one_valid_claimreview_per_published_claim(client, published, settings):
    settings.FACTCHECK_PUBLISHER_NAME = "Desk & Co"
    settings.FACTCHECK_PUBLISHER_URL = "https://desk.example.org/"
    article, verified, disputed, pending, _ = published
    response = _page(client, article)
    page_url = response.wsgi_request.build_absolute_uri()
    data = extruct.extract(response.content.decode(), base_url=page_url, syntaxes=["json-ld"])
    reviews = [d for d in data["json-ld"] if d.get("@type") == "ClaimReview"]
    assert [r["claimReviewed"] for r in reviews] == [verified.text, disputed.text]
    for review in reviews:
        assert review["@context"] == "https://schema.org"
        assert review["url"].startswith(page_url + "#claim-")
        assert review["datePublished"] == article.published_at.date().isoformat()
        assert review["author"] == {
            "@type": "Organization",
            "name": "Desk & Co",
            "url": "https://desk.example.org/",
        }
        rating = review["reviewRating"]
        assert {"ratingValue", "bestRating", "worstRating", "alternateName"} <= set(rating)
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        assert item["author"] == {"@type": "Person", "name": "Jane Doe"}
        assert item["datePublished"] == "2024-03-01"
        for work in (item["firstAppearance"], item["appearance"][0]):
            assert work["@type"] == "CreativeWork"
            assert work["url"] == article.url
            assert work["author"]["name"] == "Jane Doe"
            assert work["datePublished"] == "2024-03-01"
    # The newsroom's default scale: verified -> "True", disputed -> "False".
    assert [r["reviewRating"]["alternateName"] for r in reviews] == ["True", "False"]
    assert [r["reviewRating"]["ratingValue"] for r in reviews] == [5, 1]


def test_script_end_tags_in_claim_text_cannot_break_out(client, reviewer, editor):
    article = make_article(title="</script><script>alert(1)</script>")
    nasty = "Officials said </script><script>alert('x')</script> & <!-- it happened"
    claim = make_claim(article, 0, text=nasty)
    make_review(claim, reviewer, "disputed", rationale="</SCRIPT> no & yes")
    article_publish(article=article, editor=editor)
    response = _page(client, article)
    html = response.content.decode()
    assert "<script>alert" not in html
    assert html.lower().count("</script>") == html.lower().count("<script")
    data = extruct.extract(html, syntaxes=["json-ld"])["json-ld"]
    assert data[0]["claimReviewed"] == nasty
    assert data[0]["reviewRating"]["ratingExplanation"] == "</SCRIPT> no & yes"


def test_dumps_for_script_escapes_markup_but_round_trips():
    value = {"a": "</script><!-- & \u2028"}
    dumped = dumps_for_script(value)
    assert "<" not in dumped and ">" not in dumped and "&" not in dumped
    assert json.loads(dumped) == value


def test_unpublished_articles_and_claims_never_appear(client, reviewer, editor, published):
    draft = make_article(title="Draft", content_hash="draft")
    claim = make_claim(draft, 0)
    make_review(claim, reviewer)
    assert _page(client, draft).status_code == 404
    json_url = reverse("publishing:article_json", kwargs={"pk": draft.pk})
    assert client.get(json_url).status_code == 404
    feed = client.get(reverse("publishing:feed")).json()
    assert f"#claim-{claim.pk}" not in json.dumps(feed)
    assert len(feed["dataFeedElement"]) == 2
    article = published[0]
    article_unpublish(article=article, editor=editor)
    assert _page(client, article).status_code == 404
    assert client.get(reverse("publishing:feed")).json()["dataFeedElement"] == []


def test_claims_reviewed_after_publishing_wait_for_the_next_publish(
    client, reviewer, editor, published
):
    article, _, _, pending, _ = published
    make_review(pending, reviewer, "unverifiable", rationale="No public source.")
    assert pending.text not in _page(client, article).content.decode()
    article_publish(article=article, editor=editor)
    assert pending.text in _page(client, article).content.decode()


def test_only_editors_publish_and_only_reviewed_claims(reviewer, editor):
    article = make_article()
    make_claim(article, 0)
    with pytest.raises(PermissionDenied):
        article_publish(article=article, editor=reviewer)
    with pytest.raises(ValidationError):
        article_publish(article=article, editor=editor)


def test_public_snapshot_page_serves_only_cited_snapshots(client, published, reviewer):
    _, _, _, pending, evidence = published
    response = client.get(reverse("publishing:snapshot", kwargs={"pk": evidence.snapshot_id}))
    assert response.status_code == 200
    assert "Serbia delivered 48" in response.content.decode()
    uncited = make_evidence(pending, url="https://other.example.net/x")
    url = reverse("publishing:snapshot", kwargs={"pk": uncited.snapshot_id})
    assert client.get(url).status_code == 404


def test_evidence_of_a_published_claim_its_review_does_not_cite_stays_private(client, published):
    _, _, disputed, _, evidence = published
    uncited = make_evidence(disputed, url="https://uncited.example.net/x")
    url = reverse("publishing:snapshot", kwargs={"pk": uncited.snapshot_id})
    assert client.get(url).status_code == 404
    cited = reverse("publishing:snapshot", kwargs={"pk": evidence.snapshot_id})
    assert client.get(cited).status_code == 200


def test_a_published_claim_sent_back_for_review_says_so(client, published):
    article, verified, *_ = published
    Claim.objects.filter(pk=verified.pk).update(status=Claim.Status.NEEDS_REREVIEW)
    html = _page(client, article).content.decode()
    assert html.count("Under review again") == 1
