"""Reading what the public may see: published articles, their published claims, cited sources.

Only claims an editor published and a reviewer gave a verdict ever leave this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.urls import NoReverseMatch, reverse

from claims.models import Article, Claim, Evidence, Review, Snapshot
from claims.selectors.export import claims_with_reviews


@dataclass(frozen=True)
class CitedSource:
    url: str
    title: str
    domain: str
    stance: str
    quote: str
    snapshot_url: str | None
    snapshot_fetched_at: object | None


@dataclass(frozen=True)
class PublishedClaim:
    claim: Claim
    review: Review
    sources: list[CitedSource] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"claim-{self.claim.pk}"


def published_articles() -> QuerySet[Article]:
    return Article.objects.filter(is_published=True).order_by("-published_at", "-pk")


def published_article_get(*, pk: int) -> Article:
    """The published article; Article.DoesNotExist for anything else."""
    return published_articles().get(pk=pk)


def snapshot_page_url(snapshot_id: int) -> str:
    """Our stored copy of a source for signed-in users: the reviewer UI's page, else the public one.

    The public fact-check page links to `publishing:snapshot` instead: the reviewer UI's
    page needs a sign-in, and readers of a published fact-check have none.
    """
    try:
        return reverse("snapshot_detail", kwargs={"pk": snapshot_id})
    except NoReverseMatch:
        return reverse("publishing:snapshot", kwargs={"pk": snapshot_id})


def _cited(evidence: Evidence) -> CitedSource:
    snapshot = evidence.snapshot
    return CitedSource(
        url=evidence.source.url,
        title=(snapshot.title if snapshot else "") or evidence.source.title or evidence.source.url,
        domain=evidence.source.domain,
        stance=evidence.stance,
        quote=evidence.quote,
        snapshot_url=reverse("publishing:snapshot", kwargs={"pk": snapshot.pk})
        if snapshot
        else None,
        snapshot_fetched_at=snapshot.fetched_at if snapshot else None,
    )


def published_claims(*, article: Article) -> list[PublishedClaim]:
    """The article's published claims in reading order, each with its current verdict."""
    if not article.is_published:
        return []
    claims = claims_with_reviews(
        Claim.objects.filter(article=article, is_published=True).order_by("start", "pk")
    ).prefetch_related("reviews__evidence__snapshot")
    result = []
    for claim in claims:
        reviews = list(claim.reviews.all())
        if not reviews:
            continue
        review = reviews[0]
        result.append(
            PublishedClaim(
                claim=claim,
                review=review,
                sources=[_cited(e) for e in review.evidence.all()],
            )
        )
    return result


def published_snapshot_get(*, pk: int) -> Snapshot:
    """A snapshot the current review of a published claim cites as evidence (in a published
    article); DoesNotExist otherwise, however many unpublished or uncited rows point at it."""
    current = Review.objects.filter(claim=OuterRef("claim")).order_by("-created_at", "-pk")
    cited = (
        Review.objects.filter(
            evidence__snapshot_id=pk,
            claim__is_published=True,
            claim__article__is_published=True,
        )
        .annotate(current_id=Subquery(current.values("pk")[:1]))
        .filter(pk=F("current_id"))
    )
    if not cited.exists():
        raise Snapshot.DoesNotExist
    return Snapshot.objects.select_related("source").get(pk=pk)
