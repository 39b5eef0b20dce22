"""The admin: who reaches it, claim history with diffs, split, merge, actions, read-only reviews."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group
from django.urls import reverse
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from claims import queue
from claims.models import Claim, ClaimEvent, Evidence, Review
from claims.services.claim_editing import claim_split, claims_merge
from tests.factories import make_article, make_claim, make_evidence, make_review

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords", "sent")]


@pytest.fixture
def staff_editor(editor):
    editor.is_staff = True
    editor.save()
    return editor


@pytest.fixture
def admin_client(client, staff_editor):
    client.force_login(staff_editor)
    return client


def _changelist(model: str) -> str:
    return reverse(f"admin:claims_{model}_changelist")


def test_editors_and_superusers_reach_the_admin_staff_flag_or_not(
    client, reviewer, editor, reader, django_user_model
):
    url = reverse("admin:index")
    for user in (reader, reviewer):
        user.is_staff = True  # staff alone is not enough
        user.save()
        client.force_login(user)
        assert client.get(url).status_code == 302, user
    assert not editor.is_staff
    client.force_login(editor)
    assert client.get(url).status_code == 200
    assert client.get(_changelist("claim")).status_code == 200
    boss = django_user_model.objects.create_superuser("boss", "b@example.org", "pw")
    client.force_login(boss)
    assert client.get(url).status_code == 200


def test_an_editor_without_the_staff_flag_signs_in_to_the_admin(client, editor, reviewer):
    login = reverse("admin:login")
    response = client.post(login, {"username": "ed", "password": "pw-ed", "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    client.logout()
    reviewer.is_staff = True
    reviewer.save()
    response = client.post(login, {"username": "rita", "password": "pw-rita"})
    assert (
        response.status_code == 200 and "correct username and password" in response.content.decode()
    )


@pytest.mark.parametrize(
    "model", ["article", "claim", "source", "snapshot", "evidence", "review", "sentence"]
)
def test_every_model_changelist_renders_with_filters(admin_client, reviewer, model):
    claim = make_claim(make_article(), 0, assignee=reviewer)
    make_review(claim, reviewer, evidence=[make_evidence(claim)])
    response = admin_client.get(_changelist(model), {"q": "a"})
    assert response.status_code == 200
    assert admin_client.get(_changelist(model)).context["cl"].has_filters


def test_claim_changelist_filters_by_status_article_and_assignee(admin_client, reviewer):
    article = make_article()
    mine = make_claim(article, 0, assignee=reviewer)
    make_claim(article, 1)
    cl = admin_client.get(
        _changelist("claim"), {"assignee__id__exact": reviewer.pk, "article__id__exact": article.pk}
    ).context["cl"]
    assert list(cl.queryset) == [mine]
    cl = admin_client.get(_changelist("claim"), {"status": "needs_review"}).context["cl"]
    assert cl.queryset.count() == 2


def test_editing_a_claim_keeps_history_with_who_and_a_diff(admin_client, staff_editor):
    claim = make_claim(make_article(), 0)
    url = reverse("admin:claims_claim_change", kwargs={"object_id": claim.pk})
    page = admin_client.get(url)
    assert page.status_code == 200 and b"Split" in page.content
    response = admin_client.post(
        url,
        {
            "text": "Azerbaijan bought 48 howitzers",
            "start": claim.start,
            "end": claim.end - 5,
            "kind": "quantity",
            "seen_version": claim.version,
            "evidence-TOTAL_FORMS": "0",
            "evidence-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    claim.refresh_from_db()
    assert claim.text == "Azerbaijan bought 48 howitzers" and claim.version == 2
    latest = claim.history.latest()
    assert latest.history_user == staff_editor
    delta = latest.diff_against(latest.prev_record)
    assert {c.field for c in delta.changes} >= {"text", "end", "version"}
    assert ClaimEvent.objects.filter(claim=claim, kind="edited", actor=staff_editor).exists()
    history = admin_client.get(
        reverse("admin:claims_claim_history", kwargs={"object_id": claim.pk})
    )
    assert history.status_code == 200
    html = history.content.decode()
    assert "Azerbaijan bought 48 howitzers" in html and staff_editor.username in html


def test_a_stale_admin_edit_is_refused(admin_client, staff_editor):
    claim = make_claim(make_article(), 0)
    Claim.objects.filter(pk=claim.pk).update(version=5)
    url = reverse("admin:claims_claim_change", kwargs={"object_id": claim.pk})
    response = admin_client.post(
        url,
        {
            "text": "x",
            "start": claim.start,
            "end": claim.end,
            "kind": "quantity",
            "seen_version": 1,
            "evidence-TOTAL_FORMS": "0",
            "evidence-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "changed by someone else" in response.content.decode()
    claim.refresh_from_db()
    assert claim.text != "x"


def test_split_keeps_reviews_and_copies_evidence(admin_client, reviewer, staff_editor):
    article = make_article(text="Azerbaijan bought 48 howitzers and 600 MLRS units.")
    claim = make_claim(article, 0, text="Azerbaijan bought 48 howitzers and 600 MLRS units")
    evidence = make_evidence(claim)
    review = make_review(claim, reviewer, evidence=[evidence])
    url = reverse("admin:claims_claim_split", kwargs={"object_id": claim.pk})
    page = admin_client.get(url)
    assert page.status_code == 200
    split_at = page.context["form"].initial["split_at"]
    assert article.text[split_at:].startswith("and 600")
    response = admin_client.post(
        url,
        {
            "split_at": split_at,
            "first_text": "Azerbaijan bought 48 howitzers",
            "second_text": "Azerbaijan bought 600 MLRS units",
            "seen_version": claim.version,
        },
    )
    assert response.status_code == 302
    first = Claim.objects.get(pk=claim.pk)
    second = Claim.objects.exclude(pk=claim.pk).get()
    assert first.text == "Azerbaijan bought 48 howitzers"
    assert second.text == "Azerbaijan bought 600 MLRS units"
    assert article.text[first.start : first.end] == "Azerbaijan bought 48 howitzers"
    assert article.text[second.start : second.end] == "and 600 MLRS units"
    assert list(first.reviews.all()) == [review]
    assert first.status == Claim.Status.NEEDS_REREVIEW
    assert list(first.evidence.all()) == [evidence]
    copied = second.evidence.get()
    assert (copied.source_id, copied.snapshot_id) == (evidence.source_id, evidence.snapshot_id)
    assert second.status == Claim.Status.NEEDS_REVIEW
    assert first.history.latest().history_change_reason.startswith("Split")


def test_split_outside_the_claim_or_stale_is_refused(staff_editor):
    claim = make_claim(make_article(), 0)
    with pytest.raises(Exception, match="Split inside"):
        claim_split(claim=claim, editor=staff_editor, version=1, split_at=claim.end + 3)
    from claims.services.errors import ConflictError

    with pytest.raises(ConflictError):
        claim_split(claim=claim, editor=staff_editor, version=9, split_at=claim.start + 3)


def test_merge_moves_evidence_reviews_and_events(admin_client, reviewer, staff_editor):
    article = make_article()
    keep = make_claim(article, 0)
    dup = make_claim(article, 0, text="Azerbaijan purchased 48 Nora howitzers from Serbia")
    shared = "https://sipri.example.org/report"
    kept_ev = make_evidence(keep, url=shared)
    dup_same_source = make_evidence(dup, url=shared)
    dup_other = make_evidence(dup, url="https://other.example.net/a")
    review = make_review(dup, reviewer, "disputed", evidence=[dup_same_source, dup_other])
    response = admin_client.post(
        _changelist("claim"),
        {"action": "merge_claims", ACTION_CHECKBOX_NAME: [keep.pk, dup.pk]},
    )
    assert response.status_code == 200 and b"Choose the claim to keep" in response.content
    response = admin_client.post(
        _changelist("claim"),
        {
            "action": "merge_claims",
            ACTION_CHECKBOX_NAME: [keep.pk, dup.pk],
            "apply": "1",
            "keep": keep.pk,
        },
    )
    assert response.status_code == 302
    assert not Claim.objects.filter(pk=dup.pk).exists()
    keep.refresh_from_db()
    assert set(keep.evidence.values_list("pk", flat=True)) == {kept_ev.pk, dup_other.pk}
    review.refresh_from_db()
    assert review.claim_id == keep.pk
    assert set(review.evidence.values_list("pk", flat=True)) == {kept_ev.pk, dup_other.pk}
    assert keep.status == "disputed" and keep.version == 2
    assert ClaimEvent.objects.filter(claim=keep, data__merged=[dup.pk]).exists()
    assert Claim.history.filter(id=dup.pk, history_type="-").exists()


def test_merge_refuses_claims_of_different_articles(staff_editor):
    a = make_claim(make_article(), 0)
    b = make_claim(make_article(content_hash="other"), 0)
    with pytest.raises(Exception, match="same article"):
        claims_merge(claims=[a, b], editor=staff_editor)


def test_actions_rerun_discovery_and_recheck_sources(admin_client, sent):
    claim = make_claim(make_article(), 0)
    evidence = make_evidence(claim)
    admin_client.post(
        _changelist("claim"), {"action": "rerun_discovery", ACTION_CHECKBOX_NAME: [claim.pk]}
    )
    admin_client.post(
        _changelist("claim"), {"action": "recheck_sources", ACTION_CHECKBOX_NAME: [claim.pk]}
    )
    assert (queue.DISCOVER_CLAIM, (claim.pk,), {}) in sent
    assert (queue.RECHECK_SOURCE, (evidence.source_id,), {}) in sent
    sent.clear()
    admin_client.post(
        _changelist("source"), {"action": "recheck_now", ACTION_CHECKBOX_NAME: [evidence.source_id]}
    )
    assert sent == [(queue.RECHECK_SOURCE, (evidence.source_id,), {})]


def test_assign_action_assigns_to_a_reviewer(admin_client, reviewer):
    claims = [make_claim(make_article(), 0), make_claim(make_article(content_hash="b"), 1)]
    ids = [c.pk for c in claims]
    page = admin_client.post(
        _changelist("claim"), {"action": "assign_to_reviewer", ACTION_CHECKBOX_NAME: ids}
    )
    assert page.status_code == 200 and reviewer.username in page.content.decode()
    admin_client.post(
        _changelist("claim"),
        {
            "action": "assign_to_reviewer",
            ACTION_CHECKBOX_NAME: ids,
            "apply": "1",
            "assignee": reviewer.pk,
        },
    )
    assert set(Claim.objects.values_list("assignee", flat=True)) == {reviewer.pk}


def test_export_selected_claims_as_csv(admin_client, reviewer):
    claim = make_claim(make_article(), 0)
    make_review(claim, reviewer, evidence=[make_evidence(claim)])
    response = admin_client.post(
        _changelist("claim"), {"action": "export_csv", ACTION_CHECKBOX_NAME: [claim.pk]}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["claim_id"] == str(claim.pk) and rows[0]["verdict"] == "verified"
    assert (
        rows[0]["reviewer"] == "rita" and rows[0]["sources"] == "https://sipri.example.org/report"
    )


def test_reviews_are_read_only_in_the_admin(admin_client, reviewer):
    claim = make_claim(make_article(), 0)
    review = make_review(claim, reviewer)
    url = reverse("admin:claims_review_change", kwargs={"object_id": review.pk})
    page = admin_client.get(url)
    assert page.status_code == 200 and b'name="rationale"' not in page.content
    admin_client.post(url, {"verdict": "disputed", "rationale": "changed"})
    review.refresh_from_db()
    assert review.verdict == "verified"
    assert admin_client.get(reverse("admin:claims_review_add")).status_code == 403
    delete = reverse("admin:claims_review_delete", kwargs={"object_id": review.pk})
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Review.objects.filter(pk=review.pk).exists()


def test_periodic_recheck_schedules_are_editable(admin_client):
    interval = IntervalSchedule.objects.create(every=5, period=IntervalSchedule.MINUTES)
    task = PeriodicTask.objects.create(
        name="Re-check due sources", task="worker.tasks.recheck.recheck_due", interval=interval
    )
    url = reverse("admin:django_celery_beat_periodictask_change", kwargs={"object_id": task.pk})
    assert admin_client.get(url).status_code == 200
    assert (
        Group.objects.get(name="editors")
        .permissions.filter(codename="change_periodictask")
        .exists()
    )


def test_publish_action_on_articles(admin_client, reviewer):
    article = make_article()
    make_review(make_claim(article, 0), reviewer)
    admin_client.post(
        _changelist("article"), {"action": "publish", ACTION_CHECKBOX_NAME: [article.pk]}
    )
    article.refresh_from_db()
    assert article.is_published and Claim.objects.get().is_published
    assert Evidence.objects.count() == 0
