"""schema.org ClaimReview objects for published claims, and their safe <script> embedding."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from claims.models import Article, Review
from claims.selectors.public import PublishedClaim
from claims.selectors.ratings import Scale, default_rating, rating_scale

SCHEMA_CONTEXT = "https://schema.org"

# Characters that could end a <script> element or confuse an HTML parser, as JSON escapes.
_SCRIPT_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def publisher_organization(absolute: Callable[[str], str]) -> dict[str, Any]:
    """The organisation that publishes our fact-checks (settings)."""
    return {
        "@type": "Organization",
        "name": settings.FACTCHECK_PUBLISHER_NAME,
        "url": settings.FACTCHECK_PUBLISHER_URL or absolute("/"),
    }


def _article_author(article: Article) -> dict[str, Any] | None:
    if article.author:
        return {"@type": "Person", "name": article.author}
    if article.publisher:
        return {"@type": "Organization", "name": article.publisher}
    return None


def article_creative_work(article: Article) -> dict[str, Any]:
    """Where the claim appeared: the article, with its url, author and date."""
    work: dict[str, Any] = {"@type": "CreativeWork"}
    if article.url:
        work["url"] = article.url
    if article.title:
        work["headline"] = article.title
    author = _article_author(article)
    if author:
        work["author"] = author
    if article.published_date:
        work["datePublished"] = article.published_date.isoformat()
    if article.publisher:
        work["publisher"] = {"@type": "Organization", "name": article.publisher}
    return work


def review_rating(review: Review, scale: Scale) -> dict[str, Any]:
    """The schema.org Rating of a review, from the newsroom's rating scale.

    A rating without a value on the scale (unverifiable) has its name only.
    """
    rating = review.rating or default_rating(review.verdict)
    data: dict[str, Any] = {
        "@type": "Rating",
        "alternateName": rating.name if rating else review.get_verdict_display(),
    }
    if rating is not None and rating.rating_value is not None and scale.best is not None:
        data.update(ratingValue=rating.rating_value, bestRating=scale.best, worstRating=scale.worst)
    data["ratingExplanation"] = review.rationale
    return data


def claim_review(
    item: PublishedClaim,
    *,
    article: Article,
    page_url: str,
    absolute: Callable[[str], str],
    scale: Scale | None = None,
) -> dict[str, Any]:
    """One ClaimReview for a published claim; page_url is the absolute public page URL."""
    appearance = article_creative_work(article)
    claim: dict[str, Any] = {
        "@type": "Claim",
        "appearance": [appearance],
        "firstAppearance": appearance,
    }
    author = _article_author(article)
    if author:
        claim["author"] = author
    if article.published_date:
        claim["datePublished"] = article.published_date.isoformat()
    published = article.published_at or item.review.created_at
    return {
        "@context": SCHEMA_CONTEXT,
        "@type": "ClaimReview",
        "url": f"{page_url}#{item.anchor}",
        "claimReviewed": item.text,
        "datePublished": published.date().isoformat(),
        "author": publisher_organization(absolute),
        "reviewRating": review_rating(item.review, scale or rating_scale()),
        "itemReviewed": claim,
    }


def claim_review_feed(reviews: list[dict[str, Any]], *, name: str) -> dict[str, Any]:
    """A schema.org DataFeed of ClaimReview objects, the exchange format aggregators import."""
    return {
        "@context": SCHEMA_CONTEXT,
        "@type": "DataFeed",
        "name": name,
        "dataFeedElement": [{k: v for k, v in r.items() if k != "@context"} for r in reviews],
    }


def dumps_for_script(data: Any) -> str:
    """JSON that is safe inside a <script> element: no '</script>', '<!--' or '&' survive."""
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)


def jsonld_script(data: Any) -> SafeString:
    """<script type="application/ld+json"> with the data safely escaped."""
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(dumps_for_script(data)),  # noqa: S308
    )
