"""The rating scale: seeded default, verdicts map onto it, ClaimReview ratings, the admin,
the two-person rule, unpublishing recorded."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from claims.models import ClaimEvent, Rating, Review
from claims.services.publishing import article_publish, article_unpublish
from claims.services.ratings import rating_scale_seed
from claims.services.reviews import claim_record_verdict
from tests.factories import api_client, make_article, make_claim, make_evidence

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords", "sent")]


@pytest.fixture(autouse=True)
def _rating_scale(db):
    """The newsroom's default scale (a transactional test elsewhere may have flushed it)."""
    rating_scale_seed()


def test_the_newsroom_default_scale_is_seeded():
    rows = list(Rating.objects.values_list("label", "verdict", "rating_value", "is_default"))
    assert rows == [
        ("True", "verified", 5, True),
        ("Mostly true", "verified", 4, False),
        ("Mixed", "disputed", 3, False),
        ("Misleading", "disputed", 2, False),
        ("False", "disputed", 1, True),
        ("Unverifiable", "unverifiable", None, True),
    ]


def _review(user, claim, verdict, rating=None, **body):
    read = claim.evidence.first() or make_evidence(
        claim, url=f"https://sipri.example.org/{claim.pk}"
    )
    evidence = [] if verdict == "unverifiable" else [read.pk]
    payload = {"verdict": verdict, "rationale": "r", "version": claim.version, "evidence": evidence}
    if rating is not None:
        payload["rating"] = rating
    return api_client(user).post(
        reverse("api:claim-reviews", kwargs={"pk": claim.pk}), {**payload, **body}, format="json"
    )


def test_a_verdict_takes_a_rating_of_its_own_verdict_or_the_default(reviewer):
    article = make_article()
    first, second, third = (make_claim(article, i) for i in range(3))
    response = _review(reviewer, first, "disputed", rating="Misleading")
    assert response.status_code == 201 and response.json()["rating"] == "Misleading"
    response = _review(reviewer, second, "verified")
    assert response.json()["rating"] == "True"  # the verdict's default
    response = _review(reviewer, third, "verified", rating="False")
    assert response.status_code == 400
    assert "“False” is a rating for disputed" in response.json()["detail"]
    response = _review(reviewer, third, "verified", rating="Pants on fire")
    assert response.status_code == 400 and "rating" in response.json()["errors"]
    assert not Review.objects.filter(claim=third).exists()


def test_claimreview_rating_comes_from_the_scale(client, reviewer, editor):
    article = make_article()
    claims = [make_claim(article, i) for i in range(3)]
    for claim, verdict, rating in zip(
        claims,
        ["verified", "disputed", "unverifiable"],
        ["Mostly true", "Misleading", None],
        strict=True,
    ):
        assert _review(reviewer, claim, verdict, rating=rating).status_code == 201
    Rating.objects.filter(label="Mostly true").update(alternate_name="Largely accurate")
    article_publish(article=article, editor=editor)
    feed = client.get(reverse("publishing:article_json", kwargs={"pk": article.pk})).json()
    ratings = [r["reviewRating"] for r in feed["dataFeedElement"]]
    assert ratings[0] == {
        "@type": "Rating",
        "alternateName": "Largely accurate",
        "ratingValue": 4,
        "bestRating": 5,
        "worstRating": 1,
        "ratingExplanation": "r",
    }
    assert ratings[1]["alternateName"] == "Misleading" and ratings[1]["ratingValue"] == 2
    assert ratings[2]["alternateName"] == "Unverifiable" and "ratingValue" not in ratings[2]
    page = client.get(reverse("publishing:article", kwargs={"pk": article.pk})).content.decode()
    assert "Mostly true" in page and "Misleading" in page


def test_editors_edit_the_scale_in_the_admin(client, editor, reviewer):
    editor.is_staff = True
    editor.save()
    client.force_login(editor)
    response = client.post(
        reverse("admin:claims_rating_add"),
        {"label": "Half true", "verdict": "disputed", "rating_value": 3, "position": 3},
    )
    assert response.status_code == 302
    assert Rating.objects.get(label="Half true").verdict == "disputed"
    used = Rating.objects.get(label="True")
    claim = make_claim(make_article(), 0)
    _review(reviewer, claim, "verified")
    page = client.get(reverse("admin:claims_rating_delete", args=[used.pk]))
    assert page.status_code == 403  # reviews use it


def test_two_person_rule_needs_another_editor(settings, editor, django_user_model):
    from django.contrib.auth.models import Group

    settings.FACTCHECK_PUBLISH_REQUIRES_SECOND_REVIEWER = True
    article = make_article()
    claim = make_claim(article, 0)
    claim_record_verdict(
        claim=claim,
        reviewer=editor,
        verdict="verified",
        rationale="r",
        evidence=[make_evidence(claim)],
        version=claim.version,
    )
    with pytest.raises(ValidationError, match="Two-person rule: you reviewed claim"):
        article_publish(article=article, editor=editor)
    other = django_user_model.objects.create_user("olga", password="pw")
    other.groups.add(Group.objects.get(name="editors"))
    article_publish(article=article, editor=other)
    article.refresh_from_db()
    assert article.is_published
    response = api_client(editor).post(reverse("api:article-publish", kwargs={"pk": article.pk}))
    assert response.status_code == 400 and "Two-person rule" in response.json()["detail"]


def test_unpublishing_works_and_is_recorded(client, reviewer, editor):
    article = make_article()
    claim = make_claim(article, 0)
    _review(reviewer, claim, "verified")
    article_publish(article=article, editor=editor)
    url = reverse("publishing:article", kwargs={"pk": article.pk})
    assert client.get(url).status_code == 200
    response = api_client(editor).post(reverse("api:article-unpublish", kwargs={"pk": article.pk}))
    assert response.status_code == 200 and response.json()["is_published"] is False
    assert client.get(url).status_code == 404
    kinds = list(
        ClaimEvent.objects.filter(claim=claim, actor=editor).values_list("kind", flat=True)
    )
    assert kinds == ["published", "unpublished"]
    assert (
        api_client(reviewer)
        .post(reverse("api:article-unpublish", kwargs={"pk": article.pk}))
        .status_code
        == 403
    )
    article_unpublish(article=article, editor=editor)  # again: nothing more to record
    assert ClaimEvent.objects.filter(claim=claim, kind="unpublished").count() == 1
