"""Articles: the list, one article with its claims, research progress."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet

from claims.models import (
    Article,
    Claim,
    ClaimMatch,
    Evidence,
    ResearchCandidate,
    Sentence,
)

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


@dataclass(frozen=True)
class ArticleProgress:
    """How far research on an article has come: the one count the page, API and ingest show."""

    article: Article
    claims_by_status: dict[str, int]
    # Distinct sources research gathered for the article's claims, and those whose fetch is over.
    sources: int
    sources_fetched: int
    # Search providers that failed: [{"provider", "error", "claims": [ids]}].
    warnings: tuple[dict, ...] = ()

    @property
    def claims(self) -> int:
        return sum(self.claims_by_status.values())

    @property
    def researching(self) -> int:
        """Claims whose research is not finished."""
        return sum(self.claims_by_status.get(s, 0) for s in Claim.RESEARCH_STATUSES)

    @property
    def researched(self) -> int:
        return self.claims - self.researching

    @property
    def done(self) -> bool:
        return self.article.status != Article.Status.PROCESSING and self.researching == 0

    @property
    def has_problems(self) -> bool:
        return bool(self.warnings)

    @property
    def state(self) -> str:
        """ "researching", "done" or "done with problems" (a search provider failed)."""
        if not self.done:
            return "researching"
        return "done with problems" if self.warnings else "done"

    @property
    def percent(self) -> int:
        return round(100 * self.researched / self.claims) if self.claims else 100


def article_progress(*, article: Article) -> ArticleProgress:
    """Claims per status and the sources fetched for them, in two queries.

    A source counts once however many claims cite it; it is fetched when a snapshot of it
    backs an evidence or research is done with it as a candidate (read or failed).
    """
    by_status = dict(
        Claim.objects.filter(article=article)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    # One statement for both: (source, fetched) pairs of the evidence and of the candidates.
    evidence = (
        Evidence.objects.filter(claim__article=article)
        .order_by()
        .annotate(fetched=ExpressionWrapper(Q(snapshot__isnull=False), BooleanField()))
        .values_list("source_id", "fetched")
    )
    candidates = (
        ResearchCandidate.objects.filter(claim__article=article)
        .order_by()
        .annotate(
            fetched=ExpressionWrapper(~Q(state=ResearchCandidate.State.PENDING), BooleanField())
        )
        .values_list("source_id", "fetched")
    )
    sources: set[int] = set()
    fetched: set[int] = set()
    for source_id, is_fetched in evidence.union(candidates):
        sources.add(source_id)
        if is_fetched:
            fetched.add(source_id)
    return ArticleProgress(
        article=article,
        claims_by_status={s: by_status.get(s, 0) for s in Claim.Status.values},
        sources=len(sources),
        sources_fetched=len(fetched),
        warnings=tuple(research_warnings(article=article)),
    )


def research_warnings(*, article: Article) -> list[dict]:
    """The search providers that failed for the article's claims, with the claims concerned.

    [{"provider", "error", "claims": [ids]}], one entry per provider and error.
    """
    grouped: dict[tuple[str, str], list[int]] = {}
    rows = (
        Claim.objects.filter(article=article)
        .exclude(research_problems=[])
        .order_by("pk")
        .values_list("pk", "research_problems")
    )
    for claim_id, problems in rows:
        for problem in problems or []:
            key = (str(problem.get("provider", "")), str(problem.get("error", "")))
            grouped.setdefault(key, []).append(claim_id)
    return [
        {"provider": provider, "error": error, "claims": ids}
        for (provider, error), ids in sorted(grouped.items())
    ]


def with_match_marks(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """Claims annotated `has_match` (a match not dismissed) and `checked_before` (a match
    with a verdict: an earlier claim reviewed, or a published fact-check)."""
    shown = ClaimMatch.objects.filter(claim=OuterRef("pk"), dismissed_at__isnull=True)
    checked = shown.filter(
        Q(factcheck__isnull=False) | Q(matched_claim__status__in=Claim.VERDICT_STATUSES)
    )
    return claims.annotate(has_match=Exists(shown), checked_before=Exists(checked))


def article_for_view(*, article_id: int) -> tuple[Article, list[Claim], list[Sentence]]:
    """The article with its claims and sentences, in three queries."""
    article = Article.objects.get(pk=article_id)
    claims = list(
        with_match_marks(Claim.objects.filter(article=article))
        .only("id", "article_id", "text", "start", "end", "score", "status", "kind", "origin")
        .order_by("start", "-score", "pk")
    )
    sentences = list(
        Sentence.objects.filter(article=article)
        .only("id", "article_id", "index", "start", "end", "score", "is_heading")
        .order_by("index")
    )
    return article, claims, sentences
