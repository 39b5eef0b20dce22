"""Recovering lost work: whatever was queued or started and never finished is queued again.

A task can be lost with the broker's queue, with a worker killed mid-task, or with a
database error between two writes. The rows say what is unfinished; the sweeper
(worker.tasks.maintenance.sweep_stuck, every minute) reads them and queues the work
again. Every task it queues is idempotent, and each row is leased first (a timestamp moved
to now), so two sweeps never queue the same work twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from claims import queue
from claims.models import Article, Claim, Evidence, ResearchCandidate, Source


@dataclass
class SweepReport:
    claims: int = 0
    sources: int = 0
    candidates: int = 0
    articles: int = 0
    articles_failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def stuck_work_requeue(
    *,
    now: dt.datetime,
    stuck_after: dt.timedelta,
    fetch_stuck_after: dt.timedelta,
    articles_give_up: dt.timedelta,
    limit: int = 500,
) -> SweepReport:
    """Queues again what was queued or started more than stuck_after ago and not finished:
    claims whose research was queued or started, sources never fetched (a reviewer's
    source whose task was lost), sources fetching for longer than fetch_stuck_after (longer
    than a re-check batch may hold them), candidates still waiting for their source, and
    articles processing (failed after articles_give_up)."""
    report = SweepReport()
    cutoff = now - stuck_after
    report.claims = _claims(now, cutoff, limit)
    report.sources = _fetching_sources(now, cutoff, now - fetch_stuck_after, limit)
    report.sources += _new_sources(now, cutoff, limit)
    report.candidates = _candidates(now, cutoff, limit)
    report.articles_failed, report.articles = _articles(now, cutoff, articles_give_up, limit)
    return report


def _claims(now: dt.datetime, cutoff: dt.datetime, limit: int) -> int:
    # Queued but never started: the research task was lost with the broker's queue.
    never_started = Q(status=Claim.Status.PENDING, research_queued_at__lt=cutoff)
    # Started, and nothing left to wait for: discovery died before planning its sources
    # (a claim waiting for its candidates is recovered through them, below).
    waiting = ResearchCandidate.objects.filter(
        claim=OuterRef("pk"), state=ResearchCandidate.State.PENDING
    )
    stalled = Q(status=Claim.Status.RESEARCHING) & (
        Q(research_started_at__lt=cutoff) | Q(research_started_at__isnull=True)
    )
    queued = 0
    for claim_id in Claim.objects.filter(never_started).values_list("pk", flat=True)[:limit]:
        with transaction.atomic():
            if Claim.objects.filter(never_started, pk=claim_id).update(research_queued_at=now):
                queue.enqueue(queue.DISCOVER_CLAIM, claim_id)
                queued += 1
    stalled_ids = (
        Claim.objects.filter(stalled).filter(~Exists(waiting)).values_list("pk", flat=True)[:limit]
    )
    for claim_id in stalled_ids:
        with transaction.atomic():
            if Claim.objects.filter(stalled, pk=claim_id).update(research_started_at=now):
                queue.enqueue(queue.DISCOVER_CLAIM, claim_id)
                queued += 1
    return queued


def _waiting_claims(source_id: int) -> list[int]:
    """Claims waiting for a source: a reviewer's with no snapshot yet, or a candidate."""
    return sorted(
        set(
            Evidence.objects.filter(source_id=source_id, snapshot__isnull=True).values_list(
                "claim_id", flat=True
            )
        )
        | set(
            ResearchCandidate.objects.filter(
                source_id=source_id, state=ResearchCandidate.State.PENDING
            ).values_list("claim_id", flat=True)
        )
    )


def _wanted() -> Exists:
    """A claim waits for the source: a reviewer's source with no snapshot, or a candidate."""
    return Exists(Evidence.objects.filter(source=OuterRef("pk"), snapshot__isnull=True)) | Exists(
        ResearchCandidate.objects.filter(
            source=OuterRef("pk"), state=ResearchCandidate.State.PENDING
        )
    )


def _fetching_sources(
    now: dt.datetime, cutoff: dt.datetime, batch_cutoff: dt.datetime, limit: int
) -> int:
    """Sources left fetching by a lost task. A fetch a claim waits for (one task, one
    fetch) is stuck after `cutoff`; a scheduled re-check batch may hold its sources until
    its time limit, so others only after `batch_cutoff`."""
    stuck = Q(status=Source.Status.FETCHING) & (
        Q(fetch_started_at__lt=batch_cutoff) | (Q(fetch_started_at__lt=cutoff) & Q(waited_for=True))
    )
    queued = 0
    sources = Source.objects.alias(waited_for=_wanted())
    for source_id in sources.filter(stuck).values_list("pk", flat=True)[:limit]:
        with transaction.atomic():
            taken = sources.filter(stuck, pk=source_id).update(
                status=Source.Status.FAILING,
                failure_reason="fetch never finished (worker or broker lost); queued again",
                fetch_started_at=None,
                next_check_at=now,
            )
            if not taken:
                continue
            queued += 1
            waiting = _waiting_claims(source_id)
            if waiting:
                queue.enqueue(queue.FETCH_SOURCE, source_id, claim_ids=waiting)
            elif Evidence.objects.filter(source_id=source_id).exists():
                queue.enqueue(queue.RECHECK_SOURCE, source_id)
    return queued


def _new_sources(now: dt.datetime, cutoff: dt.datetime, limit: int) -> int:
    """Sources never fetched that a claim waits for: their fetch task was lost. The lease
    is fetch_started_at (a new source is not fetching, so it blocks no fetch)."""
    wanted = _wanted()
    lost = Q(status=Source.Status.NEW, created_at__lt=cutoff) & (
        Q(fetch_started_at__isnull=True) | Q(fetch_started_at__lt=cutoff)
    )
    queued = 0
    for source_id in (
        Source.objects.filter(lost).filter(wanted).values_list("pk", flat=True)[:limit]
    ):
        with transaction.atomic():
            if not Source.objects.filter(lost, pk=source_id).update(fetch_started_at=now):
                continue
            waiting = _waiting_claims(source_id)
            if waiting:
                queue.enqueue(queue.FETCH_SOURCE, source_id, claim_ids=waiting)
                queued += 1
    return queued


def _candidates(now: dt.datetime, cutoff: dt.datetime, limit: int) -> int:
    """Candidates waiting on a source that is no longer new or fetching: its scoring (or
    its retry) was lost. The fetch task reuses a fresh snapshot and scores it again."""
    stale = Q(
        state=ResearchCandidate.State.PENDING,
        updated_at__lt=cutoff,
        claim__status=Claim.Status.RESEARCHING,
    ) & ~Q(source__status__in=(Source.Status.NEW, Source.Status.FETCHING))
    by_source: dict[int, list[int]] = defaultdict(list)
    rows = ResearchCandidate.objects.filter(stale).values_list("pk", "source_id", "claim_id")
    for pk, source_id, claim_id in rows[:limit]:
        with transaction.atomic():
            if ResearchCandidate.objects.filter(stale, pk=pk).update(updated_at=now):
                by_source[source_id].append(claim_id)
    for source_id, claim_ids in by_source.items():
        queue.enqueue(queue.FETCH_SOURCE, source_id, claim_ids=sorted(claim_ids))
    return sum(len(ids) for ids in by_source.values())


def _articles(
    now: dt.datetime, cutoff: dt.datetime, give_up: dt.timedelta, limit: int
) -> tuple[int, int]:
    processing = Article.objects.filter(status=Article.Status.PROCESSING)
    failed = processing.filter(created_at__lt=now - give_up).update(
        status=Article.Status.FAILED,
        failure_reason="Processing never finished; submit it again.",
    )
    lost = Q(created_at__lt=cutoff) & (Q(queued_at__isnull=True) | Q(queued_at__lt=cutoff))
    queued = 0
    for article_id in processing.filter(lost).values_list("pk", flat=True)[:limit]:
        with transaction.atomic():
            if not processing.filter(lost, pk=article_id).update(queued_at=now):
                continue
            # A placeholder holds its text (long text, read by a worker) or only its URL.
            if processing.filter(pk=article_id).exclude(text="").exists():
                queue.enqueue(queue.INGEST_TEXT, article_id)
            else:
                queue.enqueue(queue.INGEST_URL, article_id, research=True)
            queued += 1
    return failed, queued
