"""Claims as CSV rows, for the admin export and the public per-article export."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import Prefetch, QuerySet

from claims.models import Claim, Evidence, Review

CLAIM_CSV_HEADER = [
    "claim_id",
    "article_id",
    "article_title",
    "article_url",
    "claim",
    "start",
    "end",
    "kind",
    "score",
    "status",
    "verdict",
    "rationale",
    "reviewer",
    "reviewed_at",
    "assignee",
    "published",
    "sources",
]

PUBLIC_CSV_HEADER = [
    "claim_id",
    "claim",
    "verdict",
    "rationale",
    "reviewed_at",
    "sources",
    "article_title",
    "article_url",
]


def csv_safe(value: object) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def claims_with_reviews(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """Claims with their article, assignee, reviews (newest first) and cited sources loaded."""
    return claims.select_related("article", "assignee").prefetch_related(
        Prefetch(
            "reviews",
            queryset=Review.objects.select_related("reviewer")
            .prefetch_related(
                Prefetch("evidence", queryset=Evidence.objects.select_related("source"))
            )
            .order_by("-created_at", "-pk"),
        ),
        Prefetch("evidence", queryset=Evidence.objects.select_related("source")),
    )


def _latest_review(claim: Claim) -> Review | None:
    reviews = list(claim.reviews.all())
    return reviews[0] if reviews else None


def claim_csv_rows(claims: Iterable[Claim]) -> Iterator[list[str]]:
    """Header, then one row per claim (use `claims_with_reviews` on the queryset first)."""
    yield CLAIM_CSV_HEADER
    for claim in claims:
        review = _latest_review(claim)
        sources = review.evidence.all() if review else claim.evidence.all()
        yield [
            csv_safe(v)
            for v in (
                claim.pk,
                claim.article_id,
                claim.article.title,
                claim.article.url,
                claim.text,
                claim.start,
                claim.end,
                claim.kind,
                f"{claim.score:.4f}",
                claim.status,
                review.verdict if review else "",
                review.rationale if review else "",
                review.reviewer.get_username() if review else "",
                review.created_at.isoformat() if review else "",
                claim.assignee.get_username() if claim.assignee else "",
                "yes" if claim.is_published else "no",
                " ".join(e.source.url for e in sources),
            )
        ]
