"""Re-check outcomes against a loopback site whose pages change, move and vanish between runs.

The re-checks run in-process here (worker.recheck); test_recheck_worker.py runs them in
real workers.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
import time
from dataclasses import dataclass
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from claims.models import Article, Claim, ClaimEvent, Evidence, FetchAttempt, Snapshot, Source
from claims.selectors.sources import source_timeline
from claims.services.sources import source_get_or_create
from worker import recheck
from worker.fetch import fetch_source
from worker.fetching import clear_robots_cache

pytestmark = pytest.mark.django_db

PARAS = [
    "The defence ministry confirmed on Monday that 48 self-propelled Nora B-52 howitzers were "
    "delivered from Serbia in two batches during the spring.",
    "Officials said the contract, worth about 200 million euros, also covers training for the "
    "crews and spare parts for a decade.",
    "Independent analysts noted that the delivery schedule had slipped by several months "
    "because of export licence delays.",
    "A spokesperson declined to comment on reports that a second contract for air defence "
    "systems was under negotiation.",
]
QUOTE = PARAS[0]


def page(paras: list[str], title: str = "Howitzer deliveries") -> str:
    body = "".join(f"<p>{p}</p>\n" for p in paras)
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title></head>"
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    )


@dataclass
class Tracked:
    claim: Claim
    source: Source
    evidence: Evidence
    snapshot: Snapshot
    path: str

    def reload(self) -> Tracked:
        self.claim.refresh_from_db()
        self.source.refresh_from_db()
        self.evidence.refresh_from_db()
        return self


@pytest.fixture(autouse=True)
def _loopback_fetching(settings):
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = True
    settings.FACTCHECK_FETCH_DOMAIN_DELAY = 0
    settings.FACTCHECK_SEARCH_PROVIDERS = []
    clear_robots_cache()
    yield
    clear_robots_cache()


def track(web, path: str = "/r/howitzers.html", status: str = Claim.Status.VERIFIED) -> Tracked:
    """A claim with a verdict, backed by a captured source on the loopback site."""
    web.set_page(path, page(PARAS))
    article = Article.objects.create(title="Seed", text=QUOTE, content_hash=f"h{path}")
    claim = Claim.objects.create(
        article=article, text="Serbia delivered 48 Nora B-52 howitzers", start=0, end=10
    )
    Claim.objects.filter(pk=claim.pk).update(status=status)
    claim.refresh_from_db()
    source, _ = source_get_or_create(url=web.url(path))
    outcome = fetch_source(source, force=True)
    assert outcome.snapshot is not None, outcome.error
    start = outcome.snapshot.text.index(QUOTE)
    evidence = Evidence.objects.create(
        claim=claim,
        source=source,
        snapshot=outcome.snapshot,
        quote=QUOTE,
        quote_start=start,
        quote_end=start + len(QUOTE),
        relevance=0.9,
        stance=Evidence.Stance.SUPPORTS,
        found_via=Evidence.FoundVia.SEARCH,
    )
    source.refresh_from_db()
    return Tracked(claim, source, evidence, outcome.snapshot, path)


class Drip:
    """Makes one path of the loopback server drip its body slowly while switched on.

    The server's handler class is patched in place, so connections already kept alive
    drip too.
    """

    def __init__(self, web, path: str) -> None:
        self.handler = web.httpd.RequestHandlerClass
        self.path = path
        self.on = threading.Event()
        self.started = threading.Event()
        drip, serve = self, self.handler.do_GET

        def do_get(handler):
            if handler.path.split("?")[0] != drip.path or not drip.on.is_set():
                return serve(handler)
            drip.started.set()
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html; charset=utf-8")
            handler.send_header("Content-Length", "100000")
            handler.end_headers()
            try:
                handler.wfile.write(b"<html><body><p>")
                while drip.on.is_set():
                    handler.wfile.write(b"a")
                    handler.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass
            handler.close_connection = True
            return None

        self.handler.do_GET = do_get

    def restore(self) -> None:
        self.on.clear()
        del self.handler.do_GET  # the inherited one again


def run(*sources: Source) -> recheck.RecheckTotals:
    return recheck.recheck_sources([s.pk for s in sources])


def alerts(claim: Claim) -> list[ClaimEvent]:
    return list(claim.events.filter(kind=ClaimEvent.Kind.RECHECK_ALERT).order_by("pk"))


def test_unchanged_page_answers_304_and_the_interval_doubles(web):
    t = track(web)
    assert t.source.check_interval == dt.timedelta(days=1)
    totals = run(t.source)
    assert totals.as_dict() == {
        "checked": 1,
        "unchanged": 1,
        "changed": 0,
        "moved": 0,
        "gone": 0,
        "failing": 0,
        "claims_flagged": 0,
    }
    t.reload()
    request = web.requests_for(t.path)[-1]
    assert request.headers.get("if-none-match")  # conditional GET with the stored ETag
    attempt = t.source.attempts.order_by("-started_at").first()
    assert attempt.outcome == FetchAttempt.Outcome.NOT_MODIFIED
    assert attempt.snapshot_id == t.snapshot.pk
    assert t.source.status == Source.Status.OK
    assert t.source.check_interval == dt.timedelta(days=2)
    assert t.source.snapshots.count() == 1
    assert t.claim.status == Claim.Status.VERIFIED


def test_same_content_without_304_is_unchanged(web):
    t = track(web)
    web.set_page(t.path, page(PARAS), headers={"ETag": '"another-tag"'})
    totals = run(t.source)
    assert (totals.unchanged, totals.changed) == (1, 0)
    t.reload()
    assert t.source.attempts.order_by("-started_at").first().outcome == FetchAttempt.Outcome.OK
    assert t.source.etag == '"another-tag"'
    assert t.source.snapshots.count() == 1


def test_interval_doubles_up_to_a_month_and_only_due_sources_are_checked(web):
    t = track(web)
    start = timezone.now()
    seen = []
    with time_machine.travel(start, tick=True) as traveller:
        for _ in range(7):
            assert recheck.recheck_due_now().checked == 0  # not due yet
            traveller.shift(t.reload().source.check_interval + dt.timedelta(minutes=1))
            totals = recheck.recheck_due_now()
            assert (totals.checked, totals.unchanged) == (1, 1)
            seen.append(t.reload().source.check_interval.days)
    assert seen == [2, 4, 8, 16, 30, 30, 30]


def test_a_changed_source_or_one_under_review_comes_back_to_daily(web):
    t = track(web)
    Source.objects.filter(pk=t.source.pk).update(check_interval=dt.timedelta(days=16))
    Claim.objects.filter(pk=t.claim.pk).update(status=Claim.Status.NEEDS_REVIEW)
    run(t.source)
    assert t.reload().source.check_interval == dt.timedelta(days=1)  # under review
    Claim.objects.filter(pk=t.claim.pk).update(status=Claim.Status.VERIFIED)
    run(t.source)
    assert t.reload().source.check_interval == dt.timedelta(days=2)
    web.set_page(t.path, page([*PARAS, "A fifth paragraph was added later in the week."]))
    totals = run(t.source)
    assert totals.changed == 1
    assert t.reload().source.check_interval == dt.timedelta(days=1)
    assert t.source.next_check_at > timezone.now() + dt.timedelta(hours=23)


def test_sources_backing_no_claim_are_not_rechecked(web):
    t = track(web)
    orphan, _ = source_get_or_create(url=web.url("/r/orphan.html"))
    past = timezone.now() - dt.timedelta(days=1)
    Source.objects.filter(pk__in=[t.source.pk, orphan.pk]).update(
        status=Source.Status.OK, next_check_at=past
    )
    totals = recheck.recheck_due_now()
    assert totals.source_ids == [t.source.pk]


def test_changed_page_keeping_the_passage_stores_a_snapshot_and_raises_no_alert(web):
    t = track(web)
    web.set_page(t.path, page([*PARAS[:3], "The spokesperson said nothing more."]))
    totals = run(t.source)
    assert (totals.changed, totals.claims_flagged) == (1, 0)
    t.reload()
    assert t.source.snapshots.count() == 2
    assert t.claim.status == Claim.Status.VERIFIED
    assert alerts(t.claim) == []
    assert t.evidence.snapshot_id == t.snapshot.pk


def test_passage_nearly_there_flags_the_claim_with_old_and_new_side_by_side(web):
    t = track(web)
    version = t.claim.version
    edited = QUOTE.replace("48", "46").replace("two batches", "three batches")
    web.set_page(t.path, page([edited, *PARAS[1:]]))
    totals = run(t.source)
    assert (totals.changed, totals.claims_flagged) == (1, 1)
    t.reload()
    assert t.claim.status == Claim.Status.NEEDS_REREVIEW
    assert t.claim.version == version + 1
    assert t.claim.history.first().status == Claim.Status.NEEDS_REREVIEW  # audited
    (alert,) = alerts(t.claim)
    assert "nearly the same" in alert.message
    new_snapshot = t.source.snapshots.order_by("-fetched_at").first()
    assert alert.data["outcome"] == "changed"
    assert alert.data["match"] == "near"
    assert 0.85 <= alert.data["similarity"] < 1
    assert alert.data["old"]["passage"] == QUOTE
    assert alert.data["old"]["snapshot"] == t.snapshot.pk
    assert alert.data["new"]["passage"] == edited
    assert alert.data["new"]["snapshot"] == new_snapshot.pk
    assert new_snapshot.text[alert.data["new"]["start"] : alert.data["new"]["end"]] == edited
    # The evidence still shows what the reviewer read, in the stored snapshot.
    assert t.evidence.snapshot_id == t.snapshot.pk
    assert t.evidence.quote in Snapshot.objects.get(pk=t.snapshot.pk).text
    # Another change elsewhere does not alert again about the same passage.
    web.set_page(t.path, page([edited, *PARAS[1:3]]))
    assert run(t.source).changed == 1
    assert len(alerts(t.claim)) == 1


def test_passage_gone_flags_the_claim(web):
    t = track(web)
    web.set_page(t.path, page(PARAS[1:]))
    totals = run(t.source)
    assert totals.claims_flagged == 1
    (alert,) = alerts(t.reload().claim)
    assert alert.data["match"] == "gone"
    assert alert.data["new"]["passage"] == ""
    assert "no longer there" in alert.message
    assert t.claim.status == Claim.Status.NEEDS_REREVIEW


def test_claim_without_a_verdict_gets_the_alert_but_keeps_its_status(web):
    t = track(web, status=Claim.Status.NEEDS_REVIEW)
    web.set_page(t.path, page(PARAS[1:]))
    totals = run(t.source)
    assert (totals.changed, totals.claims_flagged) == (1, 0)
    t.reload()
    assert t.claim.status == Claim.Status.NEEDS_REVIEW
    assert len(alerts(t.claim)) == 1


def test_unverifiable_claims_come_back_too(web):
    t = track(web, status=Claim.Status.UNVERIFIABLE)
    web.set_page(t.path, page(PARAS[1:]))
    assert run(t.source).claims_flagged == 1
    assert t.reload().claim.status == Claim.Status.NEEDS_REREVIEW


def test_permanent_redirect_moves_the_source(web):
    t = track(web, status=Claim.Status.DISPUTED)
    new_path = "/r/2024/howitzers.html"
    web.set_page(new_path, page(PARAS))
    web.set_page(t.path, "", status=301, headers={"Location": web.url(new_path)})
    totals = run(t.source)
    assert (totals.moved, totals.claims_flagged) == (1, 1)
    t.reload()
    new = Source.objects.get(url=web.url(new_path))
    assert t.source.status == Source.Status.MOVED
    assert t.source.moved_to_id == new.pk
    assert t.source.next_check_at is None
    assert new.snapshots.count() == 1
    assert new.status == Source.Status.OK
    # The claim keeps its old evidence and gains the source at its new address.
    assert t.evidence.snapshot_id == t.snapshot.pk
    assert Evidence.objects.filter(claim=t.claim, source=new).exists()
    (alert,) = alerts(t.claim)
    assert alert.data["outcome"] == "moved"
    assert alert.data["moved_to"]["url"] == new.url
    assert alert.data["match"] == "exact"
    assert "still there" in alert.message
    assert t.claim.status == Claim.Status.NEEDS_REREVIEW
    # The moved source is not checked again; the new one is.
    Source.objects.update(next_check_at=timezone.now() - dt.timedelta(minutes=1))
    assert recheck.recheck_due_now().source_ids == [new.pk]


def test_temporary_redirect_is_not_a_move(web):
    t = track(web)
    web.set_page("/r/elsewhere.html", page(PARAS))
    web.set_page(t.path, "", status=302, headers={"Location": web.url("/r/elsewhere.html")})
    totals = run(t.source)
    assert totals.moved == 0
    assert t.reload().source.status == Source.Status.OK


@pytest.mark.parametrize("status", [404, 410])
def test_gone_is_confirmed_on_a_second_try(web, status):
    t = track(web)
    web.set_page(t.path, "<html><body>no such page</body></html>", status=status)
    first = run(t.source)
    assert (first.failing, first.gone, first.claims_flagged) == (1, 0, 0)
    t.reload()
    assert t.source.status == Source.Status.FAILING
    assert t.claim.status == Claim.Status.VERIFIED
    assert t.source.next_check_at < timezone.now() + dt.timedelta(hours=2)  # confirm soon
    second = run(t.source)
    assert (second.gone, second.claims_flagged) == (1, 1)
    t.reload()
    assert t.source.status == Source.Status.GONE
    assert t.claim.status == Claim.Status.NEEDS_REREVIEW
    (alert,) = alerts(t.claim)
    assert alert.data["outcome"] == "gone"
    assert alert.data["old"]["passage"] == QUOTE
    assert "keeps the passage readable" in alert.message
    # Still gone a month later: counted, no second alert.
    third = run(t.source)
    assert (third.gone, third.claims_flagged) == (1, 0)
    assert len(alerts(t.claim)) == 1


def test_a_404_then_a_good_answer_is_not_gone(web):
    t = track(web)
    web.set_page(t.path, "missing", status=404)
    run(t.source)
    web.set_page(t.path, page(PARAS))
    run(t.source)
    web.set_page(t.path, "missing", status=404)
    assert run(t.source).gone == 0
    assert t.reload().source.status == Source.Status.FAILING


def test_server_errors_are_failing_retried_with_backoff_and_never_alarm(web):
    t = track(web)
    web.set_page(t.path, "down", status=503)
    delays = []
    for _ in range(3):
        totals = run(t.source)
        assert (totals.failing, totals.claims_flagged) == (1, 0)
        t.reload()
        delays.append(round((t.source.next_check_at - t.source.last_checked_at).total_seconds()))
    assert delays == [3600, 7200, 14400]
    assert t.source.status == Source.Status.FAILING
    assert "503" in t.source.failure_reason
    assert t.source.attempts.first().code == "http_5xx"
    assert t.claim.status == Claim.Status.VERIFIED
    assert alerts(t.claim) == []


def test_timeline_lists_checks_newest_first_with_hash_changes(web):
    t = track(web)
    run(t.source)  # 304
    web.set_page(t.path, page(PARAS[1:]))
    run(t.source)  # changed
    web.set_page(t.path, "down", status=500)
    run(t.source)  # failing
    timeline = source_timeline(t.source)
    assert [e["outcome"] for e in timeline] == ["failing", "changed", "unchanged", "first_capture"]
    assert timeline[1]["hash_changed"] and timeline[1]["new_snapshot"]
    assert not timeline[2]["hash_changed"]
    assert timeline[2]["label"] == "Unchanged (HTTP 304)"
    assert timeline[0]["at"] > timeline[1]["at"] > timeline[2]["at"]
    assert "server error" in timeline[0]["label"]


def test_recheck_command_prints_the_totals(web):
    t = track(web)
    web.set_page(t.path, page(PARAS[1:]))
    out = StringIO()
    call_command("recheck", "--source", str(t.source.pk), "--wait", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {
        "checked": 1,
        "unchanged": 0,
        "changed": 1,
        "moved": 0,
        "gone": 0,
        "failing": 0,
        "claims_flagged": 1,
    }
    out = StringIO()
    call_command("recheck", "--all", "--wait", "--json", stdout=out)
    assert json.loads(out.getvalue())["unchanged"] == 1


def test_recheck_command_without_wait_queues(web, django_capture_on_commit_callbacks):
    t = track(web)
    Source.objects.filter(pk=t.source.pk).update(next_check_at=timezone.now())
    out = StringIO()
    with django_capture_on_commit_callbacks() as callbacks:
        call_command("recheck", "--due", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"queued": 1}
    assert len(callbacks) == 1
    t.reload()
    assert t.source.next_check_at > timezone.now() + dt.timedelta(minutes=20)  # leased


def test_claims_without_evidence_are_searched_again_weekly(web, django_capture_on_commit_callbacks):
    from worker.tasks.recheck import rediscover_unsupported

    article = Article.objects.create(title="A", text="x", content_hash="rediscover")
    lonely = Claim.objects.create(article=article, text="No source says so", start=0, end=1)
    Claim.objects.filter(pk=lonely.pk).update(status=Claim.Status.NEEDS_REVIEW)
    ClaimEvent.objects.create(
        claim=lonely, kind=ClaimEvent.Kind.RESEARCH_STARTED, message="Looking for sources"
    )
    assert rediscover_unsupported() == 0  # searched this week already
    later = timezone.now() + dt.timedelta(days=8)
    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks() as callbacks:
        assert rediscover_unsupported() == 1
    lonely.refresh_from_db()
    assert lonely.status == Claim.Status.RESEARCHING
    assert len(callbacks) == 1


def test_dns_failure_is_gone_once_confirmed(web, monkeypatch):
    t = track(web)

    def no_such_host(host, port):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr("worker.fetching.addresses.resolve", no_such_host)
    assert (run(t.source).failing, run(t.source).gone) == (1, 1)
    assert t.reload().source.status == Source.Status.GONE
    failed = t.source.attempts.filter(outcome="failed")
    assert [a.code for a in failed] == ["dns_failure", "dns_failure"]
    assert t.claim.status == Claim.Status.NEEDS_REREVIEW


def test_a_dns_server_failing_for_now_is_only_failing(web, monkeypatch):
    t = track(web)

    def try_again(host, port):
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr("worker.fetching.addresses.resolve", try_again)
    for _ in range(2):
        assert run(t.source).failing == 1
    assert t.reload().source.status == Source.Status.FAILING
    assert t.claim.status == Claim.Status.VERIFIED


def test_timeout_is_failing_and_never_alarms(web, settings):
    t = track(web)
    settings.FACTCHECK_FETCH_DEADLINE = 1.0
    drip = Drip(web, t.path)
    drip.on.set()
    try:
        for _ in range(2):
            totals = run(t.source)
            assert (totals.failing, totals.claims_flagged) == (1, 0)
    finally:
        drip.restore()
    t.reload()
    assert t.source.status == Source.Status.FAILING
    assert "deadline" in t.source.failure_reason
    assert t.source.attempts.first().code == "timeout"
    assert t.claim.status == Claim.Status.VERIFIED
    assert alerts(t.claim) == []


def test_a_crash_while_alerting_leaves_no_snapshot_and_the_next_run_alerts(web, monkeypatch):
    t = track(web)
    web.set_page(t.path, page(PARAS[1:]))

    def crash(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("worker.recheck.claim_record_recheck_alert", crash)
    totals = run(t.source)
    assert (totals.changed, totals.failing, totals.claims_flagged) == (0, 1, 0)
    t.reload()
    assert t.source.snapshots.count() == 1  # rolled back with the alert
    assert t.source.status == Source.Status.FAILING  # given back, due again soon
    assert t.source.next_check_at < timezone.now() + dt.timedelta(minutes=10)
    monkeypatch.undo()
    assert run(t.source).claims_flagged == 1
    assert t.reload().source.snapshots.count() == 2
    assert t.claim.status == Claim.Status.NEEDS_REREVIEW


def test_every_periodic_task_is_a_registered_task():
    from django_celery_beat.models import PeriodicTask

    from claims.schedules import PERIODIC_TASKS, ensure_periodic_tasks
    from factcheck.celery import app

    app.loader.import_default_modules()
    ensure_periodic_tasks()
    for name, (task, _every, _period) in PERIODIC_TASKS.items():
        assert task in app.tasks, task
        assert PeriodicTask.objects.get(name=name).task == task
    assert "worker.tasks.recheck.rediscover_unsupported" in {t for t, *_ in PERIODIC_TASKS.values()}


def test_sweeper_queues_stuck_work_once_and_gives_up_on_old_articles(
    web, django_capture_on_commit_callbacks
):
    from claims.services.recovery import stuck_work_requeue

    t = track(web)
    long_ago = timezone.now() - dt.timedelta(hours=1)
    Source.objects.filter(pk=t.source.pk).update(
        status=Source.Status.FETCHING, fetch_started_at=long_ago
    )
    article = Article.objects.create(title="A", text="x", content_hash="stuck")
    claim = Claim.objects.create(article=article, text="c", start=0, end=1)
    Claim.objects.filter(pk=claim.pk).update(
        status=Claim.Status.RESEARCHING, research_started_at=long_ago
    )
    recent = Article.objects.create(
        url=web.url("/a"), text="", content_hash="", status="processing"
    )
    ancient = Article.objects.create(
        url=web.url("/b"), text="", content_hash="", status="processing"
    )
    Article.objects.filter(pk=recent.pk).update(created_at=long_ago)
    Article.objects.filter(pk=ancient.pk).update(created_at=long_ago - dt.timedelta(days=1))

    def sweep():
        return stuck_work_requeue(
            now=timezone.now(),
            stuck_after=dt.timedelta(minutes=3),
            fetch_stuck_after=dt.timedelta(minutes=6),
            articles_give_up=dt.timedelta(hours=6),
        ).as_dict()

    with django_capture_on_commit_callbacks() as callbacks:
        first = sweep()
        second = sweep()
    assert first == {
        "claims": 1,
        "sources": 1,
        "candidates": 0,
        "articles": 1,
        "articles_failed": 1,
    }
    assert second["claims"] == second["sources"] == 0  # leased by the first sweep
    assert len(callbacks) == 3 + second["articles"]
    t.reload()
    assert t.source.status == Source.Status.FAILING
    assert "queued again" in t.source.failure_reason
    assert Article.objects.get(pk=ancient.pk).status == Article.Status.FAILED


def test_new_bytes_with_the_same_main_text_are_unchanged(web):
    t = track(web)
    web.set_page(t.path, page(PARAS).replace("</body>", "<!-- rendered 12:01 --></body>"))
    totals = run(t.source)
    assert (totals.unchanged, totals.changed) == (1, 0)
    t.reload()
    assert t.source.snapshots.count() == 1
    assert t.source.check_interval == dt.timedelta(days=2)
    assert t.source.attempts.order_by("-started_at").first().snapshot_id == t.snapshot.pk
