"""Everything the claim page shows: context, evidence, reviews, timeline, research."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.db.models.functions import Length, Substr
from django.utils import timezone

from claims.models import (
    Article,
    Claim,
    ClaimEvent,
    Evidence,
    ResearchCandidate,
    Review,
    Source,
)
from claims.selectors.matches import CheckedBefore, checked_before


@dataclass(frozen=True)
class TimelineEntry:
    at: Any
    kind: str
    label: str
    actor: str | None
    message: str
    review: Review | None = None
    changes: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class ClaimPage:
    claim: Claim
    context_before: str
    context_claim: str
    context_after: str
    evidence: list[Evidence]
    reviews: list[Review]
    timeline: list[TimelineEntry]
    # Candidate sources research could not read, with the reason.
    unread: list[ResearchCandidate] = field(default_factory=list)
    # While researching: {"total", "done", "failed", "pending"} candidate sources.
    research: dict[str, int] | None = None
    # Earlier claims and published fact-checks that match it (claims.selectors.matches).
    checked_before: list[CheckedBefore] = field(default_factory=list)

    @property
    def current_review(self) -> Review | None:
        return self.reviews[0] if self.reviews else None

    @property
    def researching(self) -> bool:
        return self.claim.status in Claim.RESEARCH_STATUSES

    @property
    def sources_read(self) -> int:
        """Candidate sources research is done with (read or failed)."""
        return self.research["total"] - self.research["pending"] if self.research else 0

    @property
    def citable_evidence(self) -> list[Evidence]:
        """Evidence a verdict may cite: its source was read (fetched or added by hand)."""
        return [e for e in self.evidence if e.snapshot_id is not None]

    @property
    def uncitable_count(self) -> int:
        return len(self.evidence) - len(self.citable_evidence)

    @property
    def pending_evidence(self) -> bool:
        """True while something on the evidence section may still change: poll it."""
        return self.researching or any(
            (e.snapshot_id is None and e.source.status in Source.UNREAD_STATUSES)
            or _being_scored(e)
            for e in self.evidence
        )


# How long a read source without a stance is taken to be on the score queue (then: stop
# polling, the scoring failed and the timeline says so).
SCORING_WINDOW = dt.timedelta(minutes=2)


def _being_scored(evidence: Evidence) -> bool:
    return (
        evidence.snapshot_id is not None
        and evidence.stance is None
        and evidence.found_via != Evidence.FoundVia.FACTCHECK
        and timezone.now() - evidence.snapshot.fetched_at < SCORING_WINDOW
    )


_EDIT_FIELDS = ("text", "start", "end", "kind")
CONTEXT_CHARS = 240


def claim_evidence(*, claim: Claim) -> list[Evidence]:
    """The claim's evidence with its source and snapshot metadata (not the snapshot text)."""
    return list(
        Evidence.objects.filter(claim=claim)
        .select_related("source", "snapshot", "added_by")
        .defer("snapshot__text", "snapshot__raw_body", "snapshot__headers")
        .order_by("-relevance", "pk")
    )


def _claim_context(claim: Claim) -> tuple[str, str, str]:
    """The text around the claim: its sentence when it has one, else a window of the article."""
    start, end = claim.start, claim.end
    lo = max(0, start - CONTEXT_CHARS)
    hi = end + CONTEXT_CHARS
    sentence = claim.sentence
    if sentence is not None and sentence.start <= start and end <= sentence.end:
        lo, hi = sentence.start, sentence.end
    # Only the window leaves the database, not the whole article.
    window, length = (
        Article.objects.filter(pk=claim.article_id)
        .annotate(window=Substr("text", lo + 1, hi - lo), length=Length("text"))
        .values_list("window", "length")
        .first()
    ) or ("", 0)
    before = window[: start - lo]
    inside = window[start - lo : end - lo]
    after = window[end - lo :]
    if lo > 0 and sentence is None:
        before = "…" + before
    if hi < length and sentence is None:
        after = after + "…"
    return before, inside, after


def _history_entries(claim: Claim) -> list[TimelineEntry]:
    records = list(
        claim.history.select_related("history_user").order_by("history_date", "history_id")
    )
    entries = []
    previous = None
    for record in records:
        if previous is not None and record.history_type == "~":
            changes = tuple(
                (name, str(getattr(previous, name)), str(getattr(record, name)))
                for name in _EDIT_FIELDS
                if getattr(previous, name) != getattr(record, name)
            )
            if changes:
                entries.append(
                    TimelineEntry(
                        at=record.history_date,
                        kind="history",
                        label="Changed",
                        actor=getattr(record.history_user, "username", None),
                        message="Claim changed",
                        changes=changes,
                    )
                )
        previous = record
    return entries


def claim_page(*, claim_id: int) -> ClaimPage:
    """Everything the claim page shows, in a constant number of queries."""
    claim = (
        Claim.objects.select_related("article", "sentence", "assignee")
        .defer("article__text", "article__links", "sentence__text", "sentence__reasons")
        .get(pk=claim_id)
    )
    evidence = claim_evidence(claim=claim)
    reviews = list(
        Review.objects.filter(claim=claim)
        .select_related("reviewer")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.select_related("source")))
        .order_by("-created_at", "-pk")
    )
    events = list(
        ClaimEvent.objects.filter(claim=claim).select_related("actor").order_by("created_at", "pk")
    )
    reviews_by_pk = {r.pk: r for r in reviews}
    timeline: list[TimelineEntry] = []
    for event in events:
        review = None
        if event.kind == ClaimEvent.Kind.REVIEWED:
            review = reviews_by_pk.pop(event.data.get("review"), None)
        timeline.append(
            TimelineEntry(
                at=event.created_at,
                kind=event.kind,
                label=event.get_kind_display(),
                actor=getattr(event.actor, "username", None),
                message=event.message,
                review=review,
            )
        )
    for review in reviews_by_pk.values():  # reviews without an event of their own
        timeline.append(
            TimelineEntry(
                at=review.created_at,
                kind=ClaimEvent.Kind.REVIEWED,
                label="Reviewed",
                actor=review.reviewer.get_username(),
                message=f"Marked {review.get_verdict_display().lower()}",
                review=review,
            )
        )
    timeline.extend(_history_entries(claim))
    timeline.sort(key=lambda entry: entry.at)
    before, inside, after = _claim_context(claim)
    research = claim_research_progress(claim) if claim.status in Claim.RESEARCH_STATUSES else None
    return ClaimPage(
        claim=claim,
        context_before=before,
        context_claim=inside,
        context_after=after,
        evidence=evidence,
        reviews=reviews,
        timeline=timeline,
        unread=claim_unread_sources(claim=claim),
        research=research,
        checked_before=checked_before(claim=claim),
    )


UNREAD_LIMIT = 50


def claim_unread_sources(*, claim: Claim) -> list[ResearchCandidate]:
    """Candidate sources research tried and could not read, with the reason (one query)."""
    return list(
        ResearchCandidate.objects.filter(claim=claim, state=ResearchCandidate.State.FAILED)
        .select_related("source")
        .only(
            "id",
            "claim_id",
            "error",
            "found_via",
            "source__id",
            "source__url",
            "source__domain",
            "source__title",
        )
        .order_by("updated_at", "pk")[:UNREAD_LIMIT]
    )


def claim_research_progress(claim: Claim) -> dict[str, int]:
    """{"total", "done", "failed", "pending"}: the claim's candidate sources by state."""
    counts = dict.fromkeys(ResearchCandidate.State.values, 0)
    for state in claim.candidates.values_list("state", flat=True):
        counts[state] += 1
    return {"total": sum(counts.values()), **counts}
