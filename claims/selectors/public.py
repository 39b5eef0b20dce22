"""Reading what the public may see: published articles, their published claims, cited sources.

Only claims an editor published and a reviewer gave a verdict ever leave this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F, Prefetch, QuerySet
from django.urls import NoReverseMatch, reverse

from claims.models import Article, Claim, Evidence, Review, Snapshot


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
    def text(self) -> str:
        """The wording that was reviewed and published (not a later edit)."""
        return self.review.claim_text or self.claim.text

    @property
    def rating_label(self) -> str:
        """The rating on the newsroom's scale, else the verdict."""
        rating = self.review.rating
        return rating.label if rating is not None else self.review.get_verdict_display()

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
    claims = (
        Claim.objects.filter(article=article, is_published=True)
        .exclude(published_review=None)
        .select_related("published_review__reviewer", "published_review__rating")
        .prefetch_related(
            Prefetch(
                "published_review__evidence",
                queryset=Evidence.objects.select_related("source", "snapshot"),
            )
        )
        .order_by("start", "pk")
    )
    result = []
    for claim in claims:
        review = claim.published_review
        result.append(
            PublishedClaim(
                claim=claim,
                review=review,
                sources=[_cited(e) for e in review.evidence.all()],
            )
        )
    return result


def published_snapshot_get(*, pk: int) -> Snapshot:
    """A snapshot cited by a published claim's published review; DoesNotExist otherwise."""
    snapshot = Snapshot.objects.select_related("source").get(pk=pk)
    cited = Review.objects.filter(
        evidence__snapshot=snapshot,
        claim__is_published=True,
        claim__article__is_published=True,
        claim__published_review=F("pk"),
    ).exists()
    if not cited:
        raise Snapshot.DoesNotExist
    return Snapshot.objects.select_related("source").get(pk=pk)
