"""The UI of claim matching: the "Checked before" panel, citing, dismissing, marks, filters."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims import queue
from claims.models import Claim, ClaimEvent, ClaimMatch, Evidence, FactCheck, ResearchCandidate
from claims.services.articles import article_ingest_text
from claims.services.factchecks import factcheck_upsert
from claims.services.matching import factchecks_match
from tests.factories import make_evidence, make_review

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

EARLIER = "Azerbaijan bought 48 Nora B-52 self-propelled howitzers from Serbia, officials said."
LATER = "Azerbejdžan je od Srbije kupio 48 samohodnih haubica Nora B-52, rekli su zvaničnici."


@pytest.fixture
def claims(sent, reviewer):
    """An earlier claim reviewed with evidence, a fact-check, then a later re-statement."""
    earlier = article_ingest_text(text=EARLIER, title="Earlier", research=False).claims.get()
    evidence = make_evidence(earlier, stance=Evidence.Stance.SUPPORTS, quote="48 Nora B-52")
    make_review(earlier, reviewer, "verified", evidence=[evidence])
    factcheck, _ = factcheck_upsert(
        claim_text="Serbia sold 48 Nora B-52 howitzers to Azerbaijan.",
        url="https://factcheck.example/nora?a=1&b=<2>",
        source=FactCheck.Origin.IMPORTED,
        publisher="Example <Check>",
        rating="Half right",
    )
    factchecks_match(factchecks=[factcheck])
    later = article_ingest_text(text=LATER, title="Later", research=False).claims.get()
    return {"earlier": earlier, "later": later, "factcheck": factcheck, "evidence": evidence}


def test_the_claim_page_shows_what_was_checked_before(client, reader, claims):
    client.force_login(reader)
    page = client.get(reverse("claim_detail", args=[claims["later"].pk])).content.decode()
    assert "Checked before" in page
    assert f'href="{reverse("claim_detail", args=[claims["earlier"].pk])}"' in page
    assert "verified" in page and "Half right" in page
    assert "Example &lt;Check&gt;" in page  # escaped
    assert 'href="https://factcheck.example/nora?a=1&amp;b=&lt;2&gt;"' in page
    assert "same claim" in page
    assert "Cite this review" not in page  # a reader cannot act


def test_cite_the_earlier_review_copies_its_evidence(client, reviewer, claims):
    client.force_login(reviewer)
    later, earlier = claims["later"], claims["earlier"]
    match = ClaimMatch.objects.get(claim=later, matched_claim=earlier)
    url = reverse("claim_match_cite", args=[later.pk, match.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].endswith("#evidence")
    copied = Evidence.objects.get(claim=later)
    assert copied.source_id == claims["evidence"].source_id
    assert copied.found_via == Evidence.FoundVia.EARLIER_REVIEW
    assert copied.stance == Evidence.Stance.SUPPORTS and copied.added_by == reviewer
    assert f"review of claim {earlier.pk}" in copied.reason
    client.post(url)  # twice: still one row
    assert Evidence.objects.filter(claim=later).count() == 1


def test_cite_a_factcheck_adds_its_page_as_a_source(client, reviewer, claims, sent):
    client.force_login(reviewer)
    later = claims["later"]
    match = ClaimMatch.objects.get(claim=later, factcheck=claims["factcheck"])
    client.post(reverse("claim_match_cite", args=[later.pk, match.pk]))
    evidence = Evidence.objects.get(claim=later)
    assert evidence.source.url.startswith("https://factcheck.example/nora")
    assert evidence.found_via == Evidence.FoundVia.FACTCHECK
    assert evidence.factcheck["rating"] == "Half right"
    assert "Half right" in evidence.reason
    candidate = ResearchCandidate.objects.get(claim=later, source=evidence.source)
    assert candidate.factcheck["publisher_name"] == "Example <Check>"
    assert any(name == queue.FETCH_SOURCE for name, _, _ in sent)


def test_an_earlier_claim_without_a_review_cannot_be_cited(client, reviewer, claims):
    client.force_login(reviewer)
    later = claims["later"]
    match = ClaimMatch.objects.get(claim=later, matched_claim=claims["earlier"])
    claims["earlier"].reviews.all().delete()
    response = client.post(reverse("claim_match_cite", args=[later.pk, match.pk]), follow=True)
    assert "has no review with evidence to cite" in response.content.decode()
    assert not Evidence.objects.filter(claim=later).exists()


def test_dismiss_hides_the_match_for_good(client, reviewer, reader, claims):
    later = claims["later"]
    match = ClaimMatch.objects.get(claim=later, factcheck=claims["factcheck"])
    url = reverse("claim_match_dismiss", args=[later.pk, match.pk])
    client.force_login(reader)
    assert client.post(url).status_code == 403
    client.force_login(reviewer)
    other = ClaimMatch.objects.get(claim=later, matched_claim=claims["earlier"])
    wrong = reverse("claim_match_dismiss", args=[claims["earlier"].pk, other.pk])
    assert client.post(wrong).status_code == 404  # the match must belong to the claim
    assert client.post(url).status_code == 302
    events = ClaimEvent.objects.filter(claim=later).count()
    again = client.post(url, follow=True)  # a second click, from another tab: no error page
    assert again.status_code == 200 and "already dismissed" in again.content.decode()
    assert ClaimEvent.objects.filter(claim=later).count() == events  # nothing recorded twice
    page = client.get(reverse("claim_detail", args=[later.pk])).content.decode()
    assert "Half right" not in page
    factchecks_match(factchecks=[claims["factcheck"]])  # matching again does not revive it
    assert ClaimMatch.objects.get(pk=match.pk).dismissed_at is not None
    assert ClaimMatch.objects.filter(claim=later, dismissed_at__isnull=True).count() == 1


def test_article_page_marks_claims_checked_before_and_queue_filters(client, reviewer, claims):
    client.force_login(reviewer)
    later = claims["later"]
    page = client.get(reverse("article_detail", args=[later.article_id])).content.decode()
    assert "checked before" in page and "hl-checked" in page
    Claim.objects.filter(pk__in=[later.pk, claims["earlier"].pk]).update(
        status=Claim.Status.NEEDS_REVIEW
    )

    def listed(**params):
        response = client.get(reverse("queue"), {"assignee": "any", **params})
        assert response.status_code == 200
        return response.content.decode()

    assert ClaimMatch.objects.filter(claim=claims["earlier"]).exists()  # the fact-check
    ClaimMatch.objects.filter(claim=claims["earlier"]).delete()
    everything = listed()
    assert f'id="claim-row-{claims["earlier"].pk}"' in everything
    assert f'id="claim-row-{later.pk}"' in everything
    for value in ("any", "same"):
        page = listed(match=value)
        assert f'id="claim-row-{later.pk}"' in page
        assert f'id="claim-row-{claims["earlier"].pk}"' not in page
    ClaimMatch.objects.filter(claim=later).update(same_claim=False)
    assert f'id="claim-row-{later.pk}"' not in listed(match="same")
    assert listed(match="bogus")  # an unknown value is ignored, not an error


def test_editors_see_factchecks_and_matches_in_the_admin(client, editor, claims):
    editor.is_staff = True
    editor.save(update_fields=["is_staff"])
    client.force_login(editor)
    for name in ("factcheck", "claimmatch"):
        page = client.get(reverse(f"admin:claims_{name}_changelist"))
        assert page.status_code == 200, name
    page = client.get(reverse("admin:claims_factcheck_changelist")).content.decode()
    assert "Half right" in page and "Example &lt;Check&gt;" in page
    detail = reverse("admin:claims_factcheck_change", args=[claims["factcheck"].pk])
    assert client.post(detail, {"rating": "False"}).status_code == 403  # read-only
