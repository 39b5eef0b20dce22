"""Edits reopen review: PATCH /api/claims/{id}/ (400, 403, 409), the admin, the public page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.models import Claim, ClaimEvent
from claims.services.publishing import article_publish
from claims.services.reviews import claim_record_verdict
from tests.factories import api_client, make_published

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords", "sent")]

NEW_TEXT = "Azerbaijan bought 36 Nora B-52NG howitzers"


@pytest.fixture
def published(reviewer, editor):
    """A verified claim, published, with the wording the verdict was given on."""
    return make_published(reviewer, editor, rationale="SIPRI lists 48.")[1]


def patch(user, claim, **body):
    return api_client(user).patch(
        reverse("api:claim-detail", kwargs={"pk": claim.pk}), body, format="json"
    )


def public_html(client, claim) -> str:
    response = client.get(reverse("publishing:article", kwargs={"pk": claim.article_id}))
    assert response.status_code == 200
    return response.content.decode()


def test_patch_after_a_verdict_needs_rereview_and_the_public_page_keeps_the_reviewed_wording(
    client, editor, reviewer, published
):
    reviewed = published.text
    response = patch(editor, published, text=NEW_TEXT, version=published.version)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == published.pk and body["text"] == NEW_TEXT
    assert body["status"] == "needs_rereview" and body["version"] == published.version + 1
    event = ClaimEvent.objects.filter(claim=published, kind="edited").latest("created_at")
    assert "needs re-review" in event.message and event.actor == editor

    html = public_html(client, published)
    assert reviewed in html and NEW_TEXT not in html
    feed = client.get(reverse("publishing:article_json", kwargs={"pk": published.article_id}))
    assert feed.json()["dataFeedElement"][0]["claimReviewed"] == reviewed

    # Reviewed again and published again: the new wording goes public.
    published.refresh_from_db()
    claim_record_verdict(
        claim=published,
        reviewer=reviewer,
        verdict="disputed",
        rationale="SIPRI lists 48, not 36.",
        evidence=list(published.evidence.all()),
        version=published.version,
    )
    assert NEW_TEXT not in public_html(client, published)  # not published yet
    article_publish(article=published.article, editor=editor)
    html = public_html(client, published)
    assert NEW_TEXT in html and "SIPRI lists 48, not 36." in html


def test_patching_the_kind_reopens_review_too(editor, published):
    response = patch(editor, published, kind="event", version=published.version)
    assert response.status_code == 200 and response.json()["status"] == "needs_rereview"


def test_patch_on_a_stale_version_is_409_with_the_changes(editor, published):
    stale = published.version
    assert patch(editor, published, text=NEW_TEXT, version=stale).status_code == 200
    response = patch(editor, published, text="Something else", version=stale)
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict" and body["current_version"] == stale + 1
    assert body["changes"][0]["kind"] == "edited"
    published.refresh_from_db()
    assert published.text == NEW_TEXT


@pytest.mark.parametrize(
    "body, message",
    [
        ({"version": 1}, "Give the new text or kind"),
        ({"text": "   ", "version": 1}, "text"),
        ({"kind": "opinion", "version": 1}, "kind"),
        ({"text": "x"}, "version"),
    ],
)
def test_invalid_patches_are_400(editor, published, body, message):
    response = patch(editor, published, **body)
    assert response.status_code == 400, response.content
    assert message in response.json()["detail"]
    published.refresh_from_db()
    assert published.status == Claim.Status.VERIFIED


def test_only_editors_patch_claims(reviewer, reader, published):
    for user in (reviewer, reader):
        response = patch(user, published, text=NEW_TEXT, version=published.version)
        assert response.status_code == 403
    assert (
        api_client().patch(reverse("api:claim-detail", kwargs={"pk": published.pk})).status_code
        == 401
    )


def test_saving_the_same_wording_keeps_the_verdict(editor, published):
    response = api_client(editor).patch(
        reverse("api:claim-detail", kwargs={"pk": published.pk}),
        {"text": published.text, "version": published.version},
        format="json",
    )
    assert response.status_code == 200 and response.json()["status"] == "verified"


def test_an_admin_edit_after_a_verdict_needs_rereview(client, editor, published):
    editor.is_staff = True
    editor.save()
    client.force_login(editor)
    url = reverse("admin:claims_claim_change", kwargs={"object_id": published.pk})
    reviewed = published.text
    response = client.post(
        url,
        {
            "text": NEW_TEXT,
            "start": published.start,
            "end": published.end,
            "kind": published.kind,
            "seen_version": published.version,
            "evidence-TOTAL_FORMS": "0",
            "evidence-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.status == Claim.Status.NEEDS_REREVIEW and published.text == NEW_TEXT
    html = public_html(client, published)
    assert reviewed in html and NEW_TEXT not in html
