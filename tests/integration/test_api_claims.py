"""Claims through the API: filters, cursor pages, detail, assign, evidence, reviews (409)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims import queue
from claims.models import Claim, Evidence, Review
from claims.services.claim_editing import claim_edit
from tests.factories import api_client, make_article, make_claim, make_evidence, make_review

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords", "sent")]


@pytest.fixture
def article():
    return make_article()


def test_claim_list_filters(reader, reviewer, article):
    first = make_claim(article, 0, assignee=reviewer)
    second = make_claim(article, 1, kind=Claim.Kind.EVENT, score=0.3)
    other = make_claim(make_article(content_hash="other"), 2)
    make_review(first, reviewer)
    client = api_client(reader)
    url = reverse("api:claim-list")

    def ids(**params):
        return {c["id"] for c in client.get(url, params).json()["results"]}

    assert ids() == {first.pk, second.pk, other.pk}
    assert ids(article=article.pk) == {first.pk, second.pk}
    assert ids(status="verified") == {first.pk}
    assert ids(assignee=reviewer.username) == {first.pk}
    assert ids(assignee="none") == {second.pk, other.pk}
    assert ids(kind="event") == {second.pk}
    assert ids(min_score=0.5) == {first.pk, other.pk}
    assert ids(q="mlrs") == {second.pk}
    assert api_client(reviewer).get(url, {"assignee": "me"}).json()["results"][0]["id"] == first.pk


def test_invalid_filters_are_400_with_field_errors(reader):
    response = api_client(reader).get(
        reverse("api:claim-list"), {"status": "bogus", "min_score": "nan", "article": "x"}
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"status", "min_score", "article"}


def test_claim_list_cursor_pages_through_everything(reader, article):
    created = [make_claim(article, i % 3, start=i, end=i + 1) for i in range(7)]
    client = api_client(reader)
    seen, url = [], reverse("api:claim-list") + "?page_size=3"
    while url:
        page = client.get(url).json()
        assert "count" not in page
        seen += [c["id"] for c in page["results"]]
        url = page["next"]
    assert seen == sorted((c.pk for c in created), reverse=True)


def test_claim_detail_has_evidence_reviews_and_prior_factchecks(reader, reviewer, article):
    claim = make_claim(article, 0)
    evidence = make_evidence(claim)
    prior = make_evidence(
        claim,
        url="https://factcheck.example.org/review/1",
        found_via=Evidence.FoundVia.FACTCHECK,
        factcheck={
            "rating": "Mostly true",
            "publisher": "Example Check",
            "url": "https://factcheck.example.org/review/1",
            "date": "2023-05-01",
            "claimant": "Ministry of Defence",
        },
    )
    review = make_review(claim, reviewer, evidence=[evidence])
    body = api_client(reader).get(reverse("api:claim-detail", kwargs={"pk": claim.pk})).json()
    assert body["version"] == claim.version
    assert {e["id"] for e in body["evidence"]} == {evidence.pk, prior.pk}
    cited = next(e for e in body["evidence"] if e["id"] == evidence.pk)
    assert cited["source_url"] == evidence.source.url
    assert cited["snapshot"]["id"] == evidence.snapshot_id
    assert body["reviews"][0]["id"] == review.pk and body["reviews"][0]["evidence"] == [evidence.pk]
    assert body["verdict"]["verdict"] == "verified" and body["verdict"]["reviewer"] == "rita"
    assert body["prior_factchecks"] == [
        {
            "rating": "Mostly true",
            "publisher": "Example Check",
            "url": "https://factcheck.example.org/review/1",
            "date": "2023-05-01",
            "claimant": "Ministry of Defence",
            "evidence": prior.pk,
        }
    ]


def test_assign_to_a_reviewer_and_unassign(reviewer, editor, reader, article):
    claim = make_claim(article, 0)
    client = api_client(editor)
    url = reverse("api:claim-assign", kwargs={"pk": claim.pk})
    response = client.post(url, {"assignee": "rita"}, format="json")
    assert response.status_code == 200 and response.json()["assignee"] == "rita"
    assert response.json()["version"] == claim.version + 1
    bad = client.post(url, {"assignee": reader.username}, format="json")
    assert bad.status_code == 400 and "assignee" in bad.json()["errors"]
    assert client.post(url, {"assignee": None}, format="json").json()["assignee"] is None


def test_add_a_source_url_as_evidence(reviewer, article, sent):
    claim = make_claim(article, 0)
    url = reverse("api:claim-evidence", kwargs={"pk": claim.pk})
    response = api_client(reviewer).post(url, {"url": "https://Example.org/a#frag"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["claim"] == claim.pk and body["found_via"] == "reviewer"
    assert body["source_url"] == "https://example.org/a" and body["added_by"] == "rita"
    assert sent[-1][0] == queue.FETCH_SOURCE
    for bad in ("javascript:alert(1)", "http://[::1", ""):
        response = api_client(reviewer).post(url, {"url": bad}, format="json")
        assert response.status_code == 400, bad
        assert "url" in response.json()["errors"]


def test_review_create_with_version(reviewer, article):
    claim = make_claim(article, 0)
    evidence = make_evidence(claim)
    url = reverse("api:claim-reviews", kwargs={"pk": claim.pk})
    response = api_client(reviewer).post(
        url,
        {
            "verdict": "verified",
            "rationale": "The register lists it.",
            "evidence": [evidence.pk],
            "version": claim.version,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    review = Review.objects.get(pk=response.json()["id"])
    assert review.verdict == "verified" and list(review.evidence.all()) == [evidence]
    claim.refresh_from_db()
    assert claim.status == "verified" and claim.version == 2


def test_review_on_a_stale_version_is_409_saying_what_changed(reviewer, editor, article):
    claim = make_claim(article, 0)
    seen = claim.version
    claim_edit(claim=claim, editor=editor, version=seen, text="Azerbaijan bought 48 howitzers")
    response = api_client(reviewer).post(
        reverse("api:claim-reviews", kwargs={"pk": claim.pk}),
        {"verdict": "unverifiable", "rationale": "No.", "version": seen},
        format="json",
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict" and body["current_version"] == seen + 1
    assert "changed by someone else" in body["detail"]
    assert body["changes"][0]["kind"] == "edited" and body["changes"][0]["by"] == "ed"
    assert not Review.objects.filter(claim=claim).exists()


@pytest.mark.parametrize(
    "body, fields",
    [
        ({}, {"verdict", "rationale", "version"}),
        ({"verdict": "true", "rationale": "x", "version": 1}, {"verdict"}),
        ({"verdict": "verified", "rationale": "  ", "version": 1}, {"rationale"}),
        ({"verdict": "verified", "rationale": "x", "version": 0}, {"version"}),
        (
            {"verdict": "verified", "rationale": "x", "version": 1, "evidence": [999999]},
            {"evidence"},
        ),
        ({"verdict": "verified", "rationale": "x\x00", "version": 1}, {"rationale"}),
    ],
)
def test_invalid_reviews_are_400_with_field_errors(reviewer, article, body, fields):
    claim = make_claim(article, 0)
    url = reverse("api:claim-reviews", kwargs={"pk": claim.pk})
    response = api_client(reviewer).post(url, body, format="json")
    assert response.status_code == 400, response.content
    assert set(response.json()["errors"]) == fields


def test_evidence_of_another_claim_cannot_be_cited(reviewer, article):
    claim, other = make_claim(article, 0), make_claim(article, 1)
    foreign = make_evidence(other)
    response = api_client(reviewer).post(
        reverse("api:claim-reviews", kwargs={"pk": claim.pk}),
        {"verdict": "verified", "rationale": "x", "version": 1, "evidence": [foreign.pk]},
        format="json",
    )
    assert response.status_code == 400 and "evidence" in response.json()["errors"]


def test_source_detail_has_snapshot_history(reader, article):
    claim = make_claim(article, 0)
    first = make_evidence(claim)
    from claims.models import Snapshot

    later = Snapshot.objects.create(
        source=first.source,
        fetched_at=first.snapshot.fetched_at.replace(year=first.snapshot.fetched_at.year + 1),
        http_status=200,
        final_url=first.source.url,
        content_hash="later",
        raw_body=b"",
    )
    body = api_client(reader).get(reverse("api:source-detail", kwargs={"pk": first.source_id}))
    snapshots = body.json()["snapshots"]
    assert [s["id"] for s in snapshots] == [later.pk, first.snapshot_id]
    assert snapshots[0]["page_url"].startswith("http://testserver/")
