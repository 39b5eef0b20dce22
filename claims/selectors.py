"""Read-side queries shaped for pages and endpoints."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Length, Substr

from .models import (
    Article,
    Claim,
    ClaimEvent,
    Evidence,
    FetchAttempt,
    ResearchCandidate,
    Review,
    Sentence,
    Snapshot,
    Source,
)
from .reports import claim_research_progress

# Claims a reviewer still has to look at.
OPEN_STATUSES = (Claim.Status.NEEDS_REVIEW, Claim.Status.NEEDS_REREVIEW)
RESEARCH_STATUSES = (Claim.Status.PENDING, Claim.Status.RESEARCHING)
# Fields of Article a list or a claim page needs; never the (possibly huge) text.
ARTICLE_LIST_FIELDS = ("id", "url", "title", "publisher", "status", "created_at", "published_date")


def article_list() -> QuerySet[Article]:
    """Articles with their claim counts per status, newest first."""
    counts = {
        f"n_{status}": Count("claims", filter=Q(claims__status=status))
        for status in Claim.Status.values
    }
    return Article.objects.annotate(n_claims=Count("claims"), **counts).order_by("-created_at")


def article_list_for_page() -> QuerySet[Article]:
    """Articles for the articles page, newest first, without their text or counts.

    Paginate this, then give the page to with_claim_counts: counting every article's
    claims in the paginated query would aggregate all claims before cutting the page.
    """
    return Article.objects.only(*ARTICLE_LIST_FIELDS).order_by("-created_at", "-pk")


def with_claim_counts(articles: Iterable[Article]) -> list[Article]:
    """Sets n_claims and n_<status> on each article, with one grouped query for them all."""
    articles = list(articles)
    counts: dict[int, dict[str, int]] = {a.pk: {} for a in articles}
    rows = (
        Claim.objects.filter(article_id__in=counts)
        .order_by()
        .values_list("article_id", "status")
        .annotate(n=Count("pk"))
    )
    for article_id, status, n in rows:
        counts[article_id][status] = n
    for article in articles:
        per_status = counts[article.pk]
        article.n_claims = sum(per_status.values())
        for status in Claim.Status.values:
            setattr(article, f"n_{status}", per_status.get(status, 0))
    return articles


def _count_subquery(evidence: QuerySet[Evidence]) -> Coalesce:
    """COUNT(*) of a claim's evidence as a correlated subquery (evaluated per row shown)."""
    sub = evidence.order_by().values("claim").annotate(c=Count("pk")).values("c")[:1]
    return Coalesce(Subquery(sub, output_field=IntegerField()), 0)


@dataclass(frozen=True)
class ArticleProgress:
    """How far research on an article's claims has come."""

    article: Article
    claims: int
    researched: int
    sources_fetched: int
    sources_total: int

    @property
    def done(self) -> bool:
        return self.article.status != Article.Status.PROCESSING and self.researched >= self.claims

    @property
    def percent(self) -> int:
        return round(100 * self.researched / self.claims) if self.claims else 100


def article_progress(*, article: Article) -> ArticleProgress:
    """n of m claims researched and the sources fetched for them, in two queries."""
    counts = Claim.objects.filter(article=article).aggregate(
        total=Count("pk"), open=Count("pk", filter=Q(status__in=RESEARCH_STATUSES))
    )
    sources = Evidence.objects.filter(claim__article=article).aggregate(
        total=Count("source", distinct=True),
        fetched=Count("source", distinct=True, filter=Q(snapshot__isnull=False)),
    )
    return ArticleProgress(
        article=article,
        claims=counts["total"],
        researched=counts["total"] - counts["open"],
        sources_fetched=sources["fetched"],
        sources_total=sources["total"],
    )


def article_for_view(*, article_id: int) -> tuple[Article, list[Claim], list[Sentence]]:
    """The article with its claims and sentences, in three queries."""
    article = Article.objects.get(pk=article_id)
    claims = list(
        Claim.objects.filter(article=article)
        .only("id", "article_id", "text", "start", "end", "score", "status", "kind", "origin")
        .order_by("start", "-score", "pk")
    )
    sentences = list(
        Sentence.objects.filter(article=article)
        .only("id", "article_id", "index", "start", "end", "score", "is_heading")
        .order_by("index")
    )
    return article, claims, sentences


# --- The review queue ------------------------------------------------------------------------


@dataclass
class QueueFilters:
    status: str = "open"  # "open", "all" or a Claim.Status value
    article: int | None = None
    assignee: str = "mine_or_unassigned"  # "mine", "unassigned", "any"
    min_score: float | None = None
    has_evidence: str = ""  # "", "yes", "no"
    stance: str = ""  # "" or an Evidence.Stance value


def claim_queue(*, user: AbstractBaseUser, filters: QueueFilters) -> QuerySet[Claim]:
    """Claims for the queue, most check-worthy first, with evidence counts per stance.

    The counts are correlated subqueries so a page costs the same whatever the data size.
    """
    # Articles and assignees come in two small prefetch queries for the page's rows: joined,
    # PostgreSQL would join every matching claim before sorting and cutting the page.
    qs = Claim.objects.only(
        "id", "text", "score", "status", "kind", "version", "assignee_id", "article_id"
    ).prefetch_related(
        Prefetch("article", queryset=Article.objects.only(*ARTICLE_LIST_FIELDS)),
        Prefetch("assignee", queryset=get_user_model().objects.only("id", "username")),
    )
    if filters.status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif filters.status in Claim.Status.values:
        qs = qs.filter(status=filters.status)
    if filters.article:
        qs = qs.filter(article_id=filters.article)
    if filters.assignee == "mine_or_unassigned":
        qs = qs.filter(Q(assignee__isnull=True) | Q(assignee=user))
    elif filters.assignee == "mine":
        qs = qs.filter(assignee=user)
    elif filters.assignee == "unassigned":
        qs = qs.filter(assignee__isnull=True)
    if filters.min_score is not None:
        qs = qs.filter(score__gte=filters.min_score)
    evidence = Evidence.objects.filter(claim=OuterRef("pk"))
    if filters.has_evidence == "yes" and filters.stance not in Evidence.Stance.values:
        qs = qs.filter(Exists(evidence))  # (a stance filter implies evidence)
    elif filters.has_evidence == "no":
        qs = qs.filter(~Exists(evidence))
    if filters.stance in Evidence.Stance.values:
        qs = qs.filter(Exists(evidence.filter(stance=filters.stance)))
    annotations = {
        f"n_{stance}": _count_subquery(evidence.filter(stance=stance))
        for stance in Evidence.Stance.values
    }
    return qs.annotate(**annotations).order_by("-score", "pk")


# --- The claim page ------------------------------------------------------------------------


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

    @property
    def current_review(self) -> Review | None:
        return self.reviews[0] if self.reviews else None

    @property
    def researching(self) -> bool:
        return self.claim.status in RESEARCH_STATUSES

    @property
    def sources_read(self) -> int:
        """Candidate sources research is done with (read or failed)."""
        return self.research["total"] - self.research["pending"] if self.research else 0

    @property
    def pending_evidence(self) -> bool:
        """True while something on the evidence section may still change: poll it."""
        return self.researching or any(
            e.snapshot_id is None and e.source.status in PENDING_SOURCE for e in self.evidence
        )


PENDING_SOURCE = (Source.Status.NEW, Source.Status.FETCHING)
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
    research = claim_research_progress(claim) if claim.status in RESEARCH_STATUSES else None
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


# --- Sources and snapshots ------------------------------------------------------------------


@dataclass(frozen=True)
class SourcePage:
    source: Source
    snapshots: list[Snapshot]
    attempts: list[FetchAttempt]
    evidence: list[Evidence]


SOURCE_HISTORY_LIMIT = 100


def source_page(*, source_id: int) -> SourcePage:
    source = Source.objects.select_related("moved_to").get(pk=source_id)
    snapshots = list(
        Snapshot.objects.filter(source=source)
        .defer("text", "raw_body", "headers")
        .order_by("-fetched_at")[:SOURCE_HISTORY_LIMIT]
    )
    attempts = list(
        FetchAttempt.objects.filter(source=source).order_by("-started_at")[:SOURCE_HISTORY_LIMIT]
    )
    evidence = list(
        Evidence.objects.filter(source=source)
        .select_related("claim")
        .only("id", "stance", "relevance", "claim__id", "claim__text", "claim__status", "source_id")
        .order_by("-relevance")[:SOURCE_HISTORY_LIMIT]
    )
    return SourcePage(source=source, snapshots=snapshots, attempts=attempts, evidence=evidence)


def snapshot_for_view(*, snapshot_id: int) -> Snapshot:
    return Snapshot.objects.select_related("source").defer("raw_body").get(pk=snapshot_id)
