"""The reviewer UI through Django's test client: roles, CSRF, CSP, escaping, workflows."""

from __future__ import annotations

import sys

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from claims.models import Article, Claim, ClaimEvent, Evidence, Review, Sentence
from claims.services.reviews import claim_record_verdict
from tests.factories import (
    HOSTILE_IMG,
    HOSTILE_SCRIPT,
    make_claim,
    make_ui_article,
    make_ui_evidence,
)

pytestmark = pytest.mark.django_db

HOWITZERS = "Azerbaijan bought 48 Nora B-52NG howitzers from Serbia in 2023."
MLRS = "The army fields at least 600 MLRS units, including 100 guided systems."


@pytest.fixture
def data():
    article = make_ui_article()
    claim = make_claim(article, HOWITZERS, score=0.9)
    evidence = make_ui_evidence(claim)
    return {"article": article, "claim": claim, "evidence": evidence}


def read_pages(data) -> list[str]:
    a, c, e = data["article"], data["claim"], data["evidence"]
    return [
        reverse("home"),
        reverse("article_detail", args=[a.pk]),
        reverse("article_progress", args=[a.pk]),
        reverse("queue"),
        reverse("claim_detail", args=[c.pk]),
        reverse("claim_evidence", args=[c.pk]),
        reverse("source_detail", args=[e.source_id]),
        reverse("snapshot_detail", args=[e.snapshot_id]),
    ]


def write_posts(data) -> list[tuple[str, dict]]:
    a, c, e = data["article"], data["claim"], data["evidence"]
    sentence = Sentence.objects.get(article=a, text__startswith="This trajectory")
    return [
        (reverse("article_submit"), {"url": "https://example.com/a"}),
        (reverse("article_promote", args=[a.pk]), {"sentence": sentence.pk}),
        (reverse("claim_assign", args=[c.pk]), {"assignee": "me"}),
        (reverse("claim_add_sources", args=[c.pk]), {"urls": "https://example.net/x"}),
        (
            reverse("claim_verdict", args=[c.pk]),
            {"verdict": "verified", "rationale": "ok", "evidence": [e.pk], "version": c.version},
        ),
        (reverse("claim_edit", args=[c.pk]), {"text": "x", "start": 0, "end": 1, "kind": "event"}),
    ]


# --- Access per role -----------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in_from_every_page_and_action(client, data):
    for url in read_pages(data) + [reverse("claim_edit", args=[data["claim"].pk])]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next="), url
    for url, payload in write_posts(data):
        response = client.post(url, payload)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url
    assert Review.objects.count() == 0


def test_sign_in_page_renders_and_signs_in(client, reviewer):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert b'<label for="id_username">' in page.content
    response = client.post(reverse("login"), {"username": "rita", "password": "pw-rita"})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_reader_can_read_every_page(client, reader, data):
    client.force_login(reader)
    for url in read_pages(data):
        assert client.get(url).status_code == 200, url
    page = client.get(reverse("claim_detail", args=[data["claim"].pk])).content.decode()
    assert "only reviewers record verdicts" in page
    assert 'id="verdict-form"' not in page


def test_reader_gets_403_on_every_write(client, reader, data, sent_tasks):
    client.force_login(reader)
    for url, payload in write_posts(data):
        assert client.post(url, payload).status_code == 403, url
    assert client.get(reverse("claim_edit", args=[data["claim"].pk])).status_code == 403
    claim = Claim.objects.get(pk=data["claim"].pk)
    assert claim.assignee is None and claim.version == 1
    assert Review.objects.count() == 0
    assert Evidence.objects.count() == 1
    assert Claim.objects.count() == 1
    assert not Article.objects.filter(url__contains="example.com").exists()


def test_reviewer_can_assign_add_source_record_verdict_and_promote(
    client, reviewer, data, django_capture_on_commit_callbacks, sent_tasks
):
    client.force_login(reviewer)
    claim, article = data["claim"], data["article"]

    response = client.post(reverse("claim_assign", args=[claim.pk]), {"assignee": "me"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.assignee == reviewer

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("claim_add_sources", args=[claim.pk]),
            {"urls": "https://example.net/new-source\nnot a url"},
        )
    assert response.status_code == 302
    assert Evidence.objects.filter(claim=claim, source__url__contains="example.net").exists()
    assert [name for name, _, _ in sent_tasks] == ["worker.tasks.fetch.fetch_source"]

    claim.refresh_from_db()
    response = client.post(
        reverse("claim_verdict", args=[claim.pk]),
        {
            "verdict": "disputed",
            "rationale": "The report gives another year.",
            "evidence": [data["evidence"].pk],
            "version": claim.version,
        },
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == Claim.Status.DISPUTED
    review = Review.objects.get(claim=claim)
    assert review.reviewer == reviewer
    assert list(review.evidence.all()) == [data["evidence"]]

    sentence = Sentence.objects.get(article=article, text__startswith="This trajectory")
    response = client.post(reverse("article_promote", args=[article.pk]), {"sentence": sentence.pk})
    assert response.status_code == 302
    promoted = Claim.objects.get(article=article, origin=Claim.Origin.PROMOTED)
    assert (promoted.start, promoted.end) == (sentence.start, sentence.end)

    # Reviewers do not edit claim text.
    assert client.get(reverse("claim_edit", args=[claim.pk])).status_code == 403


def test_reviewer_htmx_actions_answer_with_partials(client, reviewer, data, sent_tasks):
    client.force_login(reviewer)
    claim, article = data["claim"], data["article"]
    htmx = {"HTTP_HX_REQUEST": "true"}
    row = client.post(
        reverse("claim_assign", args=[claim.pk]), {"assignee": "me", "row": "1"}, **htmx
    )
    assert row.status_code == 200
    assert row.content.decode().lstrip().startswith(f'<tr id="claim-row-{claim.pk}"')
    assert "Unassign" in row.content.decode()

    section = client.post(
        reverse("claim_add_sources", args=[claim.pk]),
        {"urls": "https://example.net/htmx"},
        **htmx,
    )
    body = section.content.decode()
    assert section.status_code == 200
    assert body.lstrip().startswith('<section id="evidence"')
    assert "example.net" in body and "fetching" in body
    assert 'hx-trigger="every 2s"' in body  # keeps polling until the card is fetched

    sentence = Sentence.objects.get(article=article, text__startswith="The army")
    promoted = client.post(
        reverse("article_promote", args=[article.pk]), {"sentence": sentence.pk}, **htmx
    )
    assert promoted.status_code == 200
    assert promoted.content.decode().startswith('<div id="article-body"')
    assert "Promoted to a claim" in promoted.content.decode()


def test_editor_can_edit_claim_text_and_the_timeline_shows_it(client, editor, data):
    client.force_login(editor)
    claim = data["claim"]
    page = client.get(reverse("claim_edit", args=[claim.pk]))
    assert page.status_code == 200
    new_text = "Azerbaijan bought 48 Nora B-52NG howitzers from Serbia."
    response = client.post(
        reverse("claim_edit", args=[claim.pk]),
        {
            "text": new_text,
            "start": claim.start,
            "end": claim.end,
            "kind": "quantity",
            "version": claim.version,
        },
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.text == new_text and claim.kind == "quantity" and claim.version == 2
    page = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    assert "Claim edited" in page
    assert f"<del>{escape(HOWITZERS)}</del>" in page
    assert f"<ins>{escape(new_text)}</ins>" in page


def test_editor_edit_with_a_stale_version_is_a_conflict(client, editor, reviewer, data):
    client.force_login(editor)
    claim = data["claim"]
    claim_record_verdict(
        claim=claim, reviewer=reviewer, verdict="unverifiable", rationale="r", version=1
    )
    response = client.post(
        reverse("claim_edit", args=[claim.pk]),
        {"text": "changed", "start": claim.start, "end": claim.end, "kind": "event", "version": 1},
    )
    assert response.status_code == 409
    assert "Someone else changed this claim" in response.content.decode()
    claim.refresh_from_db()
    assert claim.text == HOWITZERS


# --- Security: CSRF, CSP, escaping ------------------------------------------------------------


def test_csrf_is_enforced_on_forms(reviewer, data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    claim = data["claim"]
    url = reverse("claim_verdict", args=[claim.pk])
    payload = {
        "verdict": "verified",
        "rationale": "Matches.",
        "evidence": [data["evidence"].pk],
        "version": claim.version,
    }
    assert client.post(url, payload).status_code == 403
    assert Review.objects.count() == 0
    client.get(reverse("claim_detail", args=[claim.pk]))
    token = client.cookies["csrftoken"].value
    response = client.post(url, {**payload, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Review.objects.count() == 1


def test_every_page_has_the_content_security_policy(client, reader, data):
    client.force_login(reader)
    for url in read_pages(data) + [reverse("login")]:
        csp = client.get(url)["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp, url
        assert "unsafe-inline" not in csp
    page = client.get(reverse("claim_detail", args=[data["claim"].pk])).content.decode()
    assert " style=" not in page and "<style" not in page
    assert "<script>" not in page  # only <script src=...> of our static files


def test_hostile_source_text_is_escaped_on_claim_snapshot_and_source_pages(client, reader):
    hostile = f"Alert: 48 howitzers {HOSTILE_SCRIPT} and {HOSTILE_IMG} end"
    article = make_ui_article(text=f"Headline\nThe alert said 48 howitzers {HOSTILE_SCRIPT} came.")
    claim = make_claim(article, "The alert said 48 howitzers")
    evidence = make_ui_evidence(
        claim,
        url="https://evil.example/page",
        text=hostile,
        title=f"Title {HOSTILE_IMG}",
        reason=f"reason {HOSTILE_SCRIPT}",
    )
    client.force_login(reader)
    pages = {
        "claim": reverse("claim_detail", args=[claim.pk]),
        "snapshot": reverse("snapshot_detail", args=[evidence.snapshot_id])
        + f"?evidence={evidence.pk}",
        "source": reverse("source_detail", args=[evidence.source_id]),
        "article": reverse("article_detail", args=[article.pk]),
        "evidence": reverse("claim_evidence", args=[claim.pk]),
    }
    for name, url in pages.items():
        body = client.get(url).content.decode()
        assert HOSTILE_SCRIPT not in body, name
        assert "<img src=x" not in body, name
        assert "onerror=alert(1)>" not in body.replace("&gt;", ""), name
        assert escape(HOSTILE_SCRIPT) in body or escape(HOSTILE_IMG) in body, name
    claim_page = client.get(pages["claim"]).content.decode()
    # The quote is highlighted piece by piece and still escaped.
    assert '<mark class="m-num">48</mark>' in claim_page
    assert '<mark class="m-word">howitzers</mark>' in claim_page
    assert "&lt;img src=x onerror=alert(1)&gt;" in claim_page
    snapshot_page = client.get(pages["snapshot"]).content.decode()
    assert '<mark id="quote" class="quote-mark">' in snapshot_page
    assert "&lt;img src=x onerror=alert(1)&gt;" in snapshot_page


def test_snapshot_page_never_shows_the_raw_body(client, reader, data):
    snapshot = data["evidence"].snapshot
    client.force_login(reader)
    body = client.get(reverse("snapshot_detail", args=[snapshot.pk])).content.decode()
    assert snapshot.content_hash in body
    assert "&lt;html&gt;" not in body and "<body><" not in body
    assert "Serbia delivered 48 Nora B-52NG howitzers" in body


def test_live_links_are_noopener_noreferrer_nofollow(client, reader, data):
    client.force_login(reader)
    body = client.get(reverse("claim_detail", args=[data["claim"].pk])).content.decode()
    assert (
        '<a href="https://example.org/report" rel="noopener noreferrer nofollow" target="_blank">'
        in body
    )
    assert f"/snapshots/{data['evidence'].snapshot_id}/?evidence={data['evidence'].pk}" in body


# --- Optimistic locking -----------------------------------------------------------------------


def test_second_reviewer_gets_a_conflict_listing_what_changed(client, reviewer, data):
    from django.contrib.auth.models import Group, User

    other = User.objects.create_user("otto", password="pw")
    other.groups.add(Group.objects.get(name="reviewers"))
    claim = data["claim"]
    seen_version = claim.version
    first = Client()
    first.force_login(other)
    second = client
    second.force_login(reviewer)
    url = reverse("claim_verdict", args=[claim.pk])
    ok = first.post(
        url,
        {
            "verdict": "verified",
            "rationale": "Report agrees.",
            "evidence": [data["evidence"].pk],
            "version": seen_version,
        },
    )
    assert ok.status_code == 302
    late = second.post(
        url,
        {
            "verdict": "disputed",
            "rationale": "My own rationale.",
            "evidence": [data["evidence"].pk],
            "version": seen_version,
        },
    )
    assert late.status_code == 409
    body = late.content.decode()
    assert "Someone else changed this claim" in body
    assert "Marked verified" in body and "by otto" in body
    assert "was <strong>not</strong> saved" in body
    assert "My own rationale." in body  # the reviewer's input is kept
    assert f'name="version" value="{seen_version + 1}"' in body
    assert Review.objects.filter(claim=claim).count() == 1
    claim.refresh_from_db()
    assert claim.status == Claim.Status.VERIFIED


def test_verdict_needs_a_rationale(client, reviewer, data):
    client.force_login(reviewer)
    claim = data["claim"]
    response = client.post(
        reverse("claim_verdict", args=[claim.pk]),
        {"verdict": "verified", "rationale": "  ", "version": claim.version},
    )
    assert response.status_code == 400
    assert Review.objects.count() == 0


# --- Queue ----------------------------------------------------------------------------------


def _queue_ids(client, **params) -> list[int]:
    response = client.get(reverse("queue"), params)
    assert response.status_code == 200
    return [claim.pk for claim in response.context["claims"]]


def test_queue_defaults_to_unassigned_or_mine_needing_review_sorted_by_score(
    client, reviewer, editor, data
):
    article = data["article"]
    top = data["claim"]  # 0.9, needs review, unassigned
    mine = make_claim(article, "bought 48 Nora", score=0.5, assignee=reviewer)
    theirs = make_claim(article, "from Serbia", score=0.95, assignee=editor)
    rereview = make_claim(article, "600 MLRS units", score=0.7, status="needs_rereview")
    done = make_claim(article, "100 guided systems", score=0.99, status="verified")
    client.force_login(reviewer)
    assert _queue_ids(client) == [top.pk, rereview.pk, mine.pk]
    assert _queue_ids(client, assignee="any") == [theirs.pk, top.pk, rereview.pk, mine.pk]
    assert _queue_ids(client, assignee="mine") == [mine.pk]
    assert _queue_ids(client, status="verified", assignee="any") == [done.pk]
    assert _queue_ids(client, status="all", min_score="0.9", assignee="any") == [
        done.pk,
        theirs.pk,
        top.pk,
    ]
    assert _queue_ids(client, has_evidence="yes") == [top.pk]
    assert _queue_ids(client, has_evidence="no") == [rereview.pk, mine.pk]
    make_ui_evidence(rereview, url="https://other.example/x", stance="contradicts")
    assert _queue_ids(client, stance="contradicts") == [rereview.pk]
    other_article = make_ui_article(text="Other text. It says 7 ships.", title="Other")
    ships = make_claim(other_article, "It says 7 ships.", score=0.1)
    assert _queue_ids(client, article=other_article.pk) == [ships.pk]


def test_queue_paginates_and_keeps_filters_in_page_links(client, reviewer):
    article = make_ui_article()
    for i in range(30):
        make_claim(article, "Azerbaijan", score=i / 100)
    client.force_login(reviewer)
    first = client.get(reverse("queue"), {"min_score": "0"})
    assert len(first.context["claims"]) == 25
    assert "min_score=0" in first.content.decode() and "page=2" in first.content.decode()
    second = client.get(reverse("queue"), {"min_score": "0", "page": "2"})
    assert len(second.context["claims"]) == 5
    assert second.context["claims"][0].score == pytest.approx(0.04)


def test_list_pages_use_a_constant_number_of_queries(client, reviewer):
    def counts() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queue_q:
            assert client.get(reverse("queue"), {"assignee": "any"}).status_code == 200
        with CaptureQueriesContext(connection) as home_q:
            assert client.get(reverse("home")).status_code == 200
        return len(queue_q), len(home_q)

    client.force_login(reviewer)
    article = make_ui_article()
    claim = make_claim(article, "Azerbaijan bought")
    make_ui_evidence(claim)
    small = counts()
    for i in range(12):
        a = make_ui_article(text=f"Article {i}. It has 12 claims here.", title=f"A{i}")
        c = make_claim(a, "It has 12 claims", score=0.6)
        make_ui_evidence(c, url=f"https://example.org/{i}")
    assert counts() == small


def test_claim_page_query_count_does_not_grow_with_evidence(
    client, reviewer, data, django_assert_max_num_queries
):
    client.force_login(reviewer)
    claim = data["claim"]
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("claim_detail", args=[claim.pk]))
    for i in range(10):
        make_ui_evidence(claim, url=f"https://example.org/more/{i}")
    claim_record_verdict(
        claim=claim,
        reviewer=reviewer,
        verdict="verified",
        rationale="r",
        evidence=list(claim.evidence.all()),
        version=claim.version,
    )
    with django_assert_max_num_queries(len(before) + 2):
        client.get(reverse("claim_detail", args=[claim.pk]))


# --- Articles -------------------------------------------------------------------------------


def test_article_view_highlights_claims_in_place_at_their_offsets(client, reader, data):
    article, claim = data["article"], data["claim"]
    overlapping = make_claim(article, "48 Nora B-52NG howitzers", score=0.5, status="verified")
    client.force_login(reader)
    body = client.get(reverse("article_detail", args=[article.pk])).content.decode()
    text = body.split('<div class="article-text">', 1)[1].split("</div>", 1)[0]
    before = article.text[: claim.start]
    assert text.startswith(escape(before) + '<a class="hl st-needs_review" href=')
    # The overlap: the best-scored claim links, marked as several claims.
    assert (
        f'<a class="hl st-needs_review hl-multi" href="/claims/{claim.pk}/" data-claim="{claim.pk}"'
    ) in text
    assert ">48 Nora B-52NG howitzers</a>" in text
    assert f'href="/claims/{overlapping.pk}/"' in body  # reachable from the claim list
    # Removing our markup gives back the article text exactly.
    import re

    plain = re.sub(r"<[^>]+>", "", text)
    from html import unescape

    assert unescape(plain) == article.text
    # Readers see no promote buttons.
    assert 'class="promote"' not in body


def test_article_view_offers_promotion_of_non_claim_sentences_to_reviewers(client, reviewer, data):
    client.force_login(reviewer)
    body = client.get(reverse("article_detail", args=[data["article"].pk])).content.decode()
    trajectory = Sentence.objects.get(text__startswith="This trajectory")
    heading = Sentence.objects.get(text="Arms deals")
    assert f'name="sentence" value="{trajectory.pk}"' in body
    assert f'name="sentence" value="{heading.pk}"' not in body  # headings are not offered


def test_articles_page_shows_status_bar_and_progress(client, reviewer, data):
    make_claim(data["article"], "600 MLRS units", status="researching")
    make_claim(data["article"], "100 guided systems", status="verified")
    client.force_login(reviewer)
    body = client.get(reverse("home")).content.decode()
    assert '<svg class="bar"' in body
    assert 'class="st-verified"><title>verified: 1</title>' in body
    assert f'hx-get="/articles/{data["article"].pk}/progress"' in body
    partial = client.get(reverse("article_progress", args=[data["article"].pk])).content.decode()
    assert "2 of 3 claims researched, 1 source fetched" in partial
    assert 'hx-trigger="every 2s"' in partial
    Claim.objects.filter(status="researching").update(status="needs_review")
    partial = client.get(reverse("article_progress", args=[data["article"].pk])).content.decode()
    assert "3 of 3 claims researched" in partial and "hx-trigger" not in partial


def test_submitting_a_url_queues_ingestion(
    client, reviewer, django_capture_on_commit_callbacks, sent_tasks
):
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("article_submit"), {"url": "https://news.example/story"})
    article = Article.objects.get(url="https://news.example/story")
    assert response.status_code == 302
    assert response["Location"] == reverse("article_detail", args=[article.pk])
    assert article.status == Article.Status.PROCESSING and article.created_by == reviewer
    assert sent_tasks == [("worker.tasks.discover.ingest_url", (article.pk,), {"research": True})]
    page = client.get(response["Location"]).content.decode()
    assert "Fetching the article" in page


def test_article_submission_needs_exactly_one_input(client, reviewer):
    client.force_login(reviewer)
    response = client.post(reverse("article_submit"), {})
    assert response.status_code == 400
    assert "exactly one" in response.content.decode()
    response = client.post(
        reverse("article_submit"), {"url": "https://a.example/", "text": "Some text."}
    )
    assert response.status_code == 400


def test_submitting_pasted_text_ingests_it(client, reviewer, sent_tasks):
    pytest.importorskip("language.extraction", reason="extraction package not ready")
    from language import extraction

    if not hasattr(extraction, "extract_article"):
        pytest.skip("extraction package not ready")
    client.force_login(reviewer)
    response = client.post(
        reverse("article_submit"),
        {"text": "Serbia sold 48 howitzers to Azerbaijan in 2023.", "title": "Pasted"},
    )
    assert response.status_code == 302
    assert Article.objects.filter(title="Pasted").exists()


# --- Timeline -------------------------------------------------------------------------------


def test_timeline_lists_events_reviews_and_edits_with_who(client, reviewer, editor, data):
    from claims.services.claim_editing import claim_edit
    from claims.services.reviews import claim_assign

    claim = data["claim"]
    ClaimEvent.objects.create(
        claim=claim,
        kind=ClaimEvent.Kind.EVIDENCE_FOUND,
        message="Supports: example.org",
    )
    claim_assign(claim=claim, assignee=reviewer, actor=reviewer)
    claim.refresh_from_db()
    claim_record_verdict(
        claim=claim,
        reviewer=reviewer,
        verdict="verified",
        rationale="The report confirms 48 units.",
        evidence=[data["evidence"]],
        version=claim.version,
    )
    claim.refresh_from_db()
    claim_edit(claim=claim, editor=editor, version=claim.version, text="Edited text")
    ClaimEvent.objects.create(
        claim=claim, kind=ClaimEvent.Kind.RECHECK_ALERT, message="Evidence changed at example.org"
    )
    client.force_login(reviewer)
    body = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    timeline = body.split('<ol class="timeline">', 1)[1].split("</ol>", 1)[0]
    order = [
        "Extracted",
        "Supports: example.org",
        "Assigned to rita",
        "Marked verified",
        "The report confirms 48 units.",
        "Claim edited",
        "Evidence changed at example.org",
    ]
    positions = [timeline.index(text) for text in order]
    assert positions == sorted(positions)
    assert '<span class="tl-actor">ed</span>' in timeline
    assert '<span class="tl-actor">rita</span>' in timeline
    assert "Cites:" in timeline and "example.org" in timeline
    assert "<ins>Edited text</ins>" in timeline


# --- Query counts pinned as the data grows -----------------------------------------------------

# Session, user, the two role checks, then the page's own queries.
QUEUE_QUERIES = 9  # + article menu, count, page, prefetched articles and assignees
ARTICLES_QUERIES = 7  # + count, page, claim counts per status for the page
ARTICLE_QUERIES = 10  # + article, claims, sentences, progress (claims, sources, warnings)


def _grow(reviewer, article, *, articles: int, claims_each: int, tag: str) -> None:
    """More articles with claims, evidence and reviews, and more claims on `article`."""
    from django.contrib.auth.models import User

    other = User.objects.get_or_create(username=f"other-{tag}")[0]
    for i in range(articles):
        text = " ".join(
            f"In {2000 + j} the army bought {j + 10} tanks." for j in range(claims_each)
        )
        grown = make_ui_article(text=text, title=f"{tag} {i}")
        for j in range(claims_each):
            phrase = f"In {2000 + j} the army bought {j + 10} tanks."
            claim = make_claim(grown, phrase, score=0.5 + j / 100, assignee=[None, other][j % 2])
            make_ui_evidence(claim, url=f"https://example.org/{tag}/{i}/{j}", stance="contradicts")
            if j % 3 == 0:
                claim_record_verdict(
                    claim=claim, reviewer=reviewer, verdict="unverifiable", rationale="r", version=1
                )
    for phrase in ("Serbia in 2023", "600 MLRS units", "100 guided systems"):
        if not article.claims.filter(text=phrase).exists():
            claim = make_claim(article, phrase, score=0.4)
            make_ui_evidence(claim, url=f"https://example.net/{tag}/{phrase}")
            return


def test_queue_articles_and_article_pages_have_pinned_query_counts(
    client, reviewer, data, django_assert_max_num_queries
):
    client.force_login(reviewer)
    article = data["article"]
    queue = reverse("queue")
    pages = [
        (queue, QUEUE_QUERIES),
        (queue + "?status=all&assignee=any", QUEUE_QUERIES),
        (queue + "?stance=contradicts&has_evidence=yes&min_score=0.1", QUEUE_QUERIES),
        (queue + "?has_evidence=no&status=all&assignee=unassigned", QUEUE_QUERIES),
        (queue + f"?article={article.pk}&status=all&assignee=any&page=2", QUEUE_QUERIES),
        (reverse("home"), ARTICLES_QUERIES),
        (reverse("home") + "?page=2", ARTICLES_QUERIES),
        (reverse("article_detail", args=[article.pk]), ARTICLE_QUERIES),
    ]
    sizes = []
    for round_, (articles, claims_each) in enumerate([(1, 2), (30, 4)]):
        _grow(reviewer, article, articles=articles, claims_each=claims_each, tag=f"r{round_}")
        for url, limit in pages:
            with django_assert_max_num_queries(limit):
                response = client.get(url)
            assert response.status_code == 200, url
        sizes.append((Claim.objects.count(), Article.objects.count(), article.claims.count()))
    (claims_before, articles_before, own_before), (claims_after, articles_after, own_after) = sizes
    assert claims_after > 5 * claims_before and articles_after > 25  # more than one page
    assert own_after > own_before
    body = client.get(reverse("queue"), {"status": "all", "assignee": "any"}).content.decode()
    assert "Page 1 of" in body and 'rel="next"' in body


def test_evidence_filters_stop_counting_at_the_cap(client, reviewer, data, monkeypatch):
    module = sys.modules["claims.web.views.queue"]  # (the package exports the view by that name)
    monkeypatch.setattr(module, "EVIDENCE_FILTER_COUNT_CAP", 3)
    article = data["article"]
    for i, phrase in enumerate(("bought 48", "Nora B-52NG", "from Serbia", "600 MLRS")):
        claim = make_claim(article, phrase, score=0.5)
        make_ui_evidence(claim, url=f"https://example.org/cap/{i}")
    client.force_login(reviewer)
    body = client.get(reverse("queue"), {"has_evidence": "yes"}).content.decode()
    assert "More than 3 claims" in body
    exact = client.get(reverse("queue")).content.decode()  # no evidence filter: exact count
    assert "5 claims, most check-worthy first" in exact


def test_queue_filter_keeps_an_article_older_than_the_menu(client, reviewer, data, monkeypatch):
    monkeypatch.setattr(sys.modules["claims.web.views.queue"], "article_choices", lambda: [])
    other = make_ui_article(text="Other text. It says 7 ships.", title="Other")
    ships = make_claim(other, "It says 7 ships.", score=0.1)
    client.force_login(reviewer)
    assert _queue_ids(client, article=other.pk) == [ships.pk]


# --- Claim page: language, unread sources, research progress, htmx ----------------------------


def test_evidence_card_shows_the_source_language(client, reader, data):
    from claims.models import Snapshot

    Snapshot.objects.filter(pk=data["evidence"].snapshot_id).update(language="sr")
    client.force_login(reader)
    body = client.get(reverse("claim_detail", args=[data["claim"].pk])).content.decode()
    assert '<abbr class="badge lang" lang="en" title="Source language: Serbian">sr</abbr>' in body
    Snapshot.objects.filter(pk=data["evidence"].snapshot_id).update(language="")
    body = client.get(reverse("claim_detail", args=[data["claim"].pk])).content.decode()
    assert 'class="badge lang"' not in body


def _candidate(claim, url: str, state: str, error: str = ""):
    from claims.models import ResearchCandidate, Source

    source, _ = Source.objects.get_or_create(url=url, defaults={"domain": url.split("/")[2]})
    return ResearchCandidate.objects.create(
        claim=claim, source=source, found_via="search", state=state, error=error
    )


def test_claim_page_lists_sources_research_could_not_read(client, reader, data):
    claim = data["claim"]
    _candidate(claim, "https://blocked.example/a", "failed", f"HTTP 403 {HOSTILE_SCRIPT}")
    _candidate(claim, "https://example.org/report", "done")
    client.force_login(reader)
    body = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    assert "Could not read 1 source" in body
    unread = body.split('<details class="unread" open>', 1)[1].split("</details>", 1)[0]
    assert "blocked.example" in unread and "example.org" not in unread
    assert f"HTTP 403 {escape(HOSTILE_SCRIPT)}" in unread
    assert HOSTILE_SCRIPT not in body
    # Nothing failed: no list.
    other = make_claim(data["article"], "600 MLRS units")
    body = client.get(reverse("claim_detail", args=[other.pk])).content.decode()
    assert "Could not read" not in body


def test_claim_page_shows_research_progress_while_researching(client, reader, data):
    claim = make_claim(data["article"], "600 MLRS units", status="researching")
    for i, state in enumerate(["done", "done", "failed", "pending", "pending"]):
        _candidate(claim, f"https://s{i}.example/x", state, "timeout" if state == "failed" else "")
    client.force_login(reader)
    for url in (
        reverse("claim_detail", args=[claim.pk]),
        reverse("claim_evidence", args=[claim.pk]),
    ):
        body = client.get(url).content.decode()
        assert "3 of 5 sources read, 1 could not be read" in body, url
        assert '<progress max="5" value="3" aria-label="Sources read">' in body
        assert 'hx-trigger="every 2s"' in body  # keeps polling while researching
    Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.NEEDS_REVIEW)
    body = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    assert "sources read" not in body
    section = body.split('<section id="evidence"', 1)[1].split(">", 1)[0]
    assert "hx-trigger" not in section  # fetched and researched: polling stops


def test_verdict_saved_through_htmx_says_recorded(client, reviewer, data):
    client.force_login(reviewer)
    claim = data["claim"]
    response = client.post(
        reverse("claim_verdict", args=[claim.pk]),
        {
            "verdict": "verified",
            "rationale": "Matches.",
            "evidence": [data["evidence"].pk],
            "version": claim.version,
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    main = body.split('<div id="claim-main">', 1)[1]
    assert main.lstrip().startswith(
        '<p class="msg msg-success" role="status" id="recorded">Recorded: Verified.</p>'
    )
    assert '<span class="badge st-verified" id="claim-status">Verified</span>' in main
    assert f'name="version" value="{claim.version + 1}"' in main  # ready for the next save
    assert Review.objects.filter(claim=claim).count() == 1


def test_polled_evidence_brings_new_cards_into_the_verdict_form(
    client, reviewer, reader, data, sent_tasks
):
    claim, first = data["claim"], data["evidence"]
    client.force_login(reviewer)
    page = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    assert page.count('id="verdict-evidence"') == 1 and "hx-swap-oob" not in page
    arrived = make_ui_evidence(claim, url="https://example.net/new", stance="contradicts")
    response = client.get(
        reverse("claim_evidence", args=[claim.pk]), {"evidence": [first.pk]}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="evidence"')
    oob = body.split('<fieldset class="cite" id="verdict-evidence" hx-swap-oob="true">', 1)[1]
    assert f'name="evidence" value="{first.pk}" checked>' in oob  # the reviewer's tick stays
    assert f'name="evidence" value="{arrived.pk}">' in oob  # the new card can be cited
    assert f'id="evidence-{arrived.pk}"' in body
    # Adding a source through htmx answers the same way.
    added = client.post(
        reverse("claim_add_sources", args=[claim.pk]),
        {"urls": "https://example.com/more", "evidence": [arrived.pk]},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    oob = added.split('id="verdict-evidence" hx-swap-oob="true">', 1)[1]
    assert f'value="{arrived.pk}" checked>' in oob
    # The source just added is not read yet: it is not offered as citable.
    assert oob.count('name="evidence"') == 2 and "1 source not read yet" in oob
    # Readers have no verdict form: nothing to swap.
    client.force_login(reader)
    body = client.get(reverse("claim_evidence", args=[claim.pk]), HTTP_HX_REQUEST="true")
    assert "hx-swap-oob" not in body.content.decode()


def test_forbidden_page_keeps_the_site_layout(client, reader, data):
    client.force_login(reader)
    claim = data["claim"]
    response = client.post(
        reverse("claim_verdict", args=[claim.pk]),
        {"verdict": "verified", "rationale": "r", "version": claim.version},
    )
    assert response.status_code == 403
    body = response.content.decode()
    assert '<a class="brand" href="/">Fact-check desk</a>' in body
    assert '<nav aria-label="Main">' in body and '<main id="main"' in body
    assert "You can’t do that here" in body
    assert "Only reviewers and editors may do this." in body
    assert "Signed in as reada" in body and "· read only" not in body
    assert " style=" not in body and "<script>" not in body
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert client.get(reverse("claim_edit", args=[claim.pk])).status_code == 403
