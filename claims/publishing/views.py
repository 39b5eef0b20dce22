"""Public fact-check pages (no sign-in), their ClaimReview JSON and CSV exports."""

from __future__ import annotations

import csv

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from claims.models import Article, Snapshot
from claims.publishing import claimreview
from claims.selectors import public as selectors
from claims.selectors.export import PUBLIC_CSV_HEADER, csv_safe
from claims.selectors.ratings import rating_scale

FEED_LIMIT = 200  # articles in the site-wide feed, newest first


def _article_or_404(pk: int) -> Article:
    try:
        return selectors.published_article_get(pk=pk)
    except Article.DoesNotExist as exc:
        raise Http404("No published fact-check here.") from exc


def _reviews_for(request: HttpRequest, article: Article, items: list) -> list[dict]:
    page_url = request.build_absolute_uri(reverse("publishing:article", kwargs={"pk": article.pk}))
    scale = rating_scale()
    return [
        claimreview.claim_review(
            item,
            article=article,
            page_url=page_url,
            absolute=request.build_absolute_uri,
            scale=scale,
        )
        for item in items
    ]


def _render(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    context = {"publisher_name": settings.FACTCHECK_PUBLISHER_NAME, **context}
    return render(request, template, context)


@require_safe
def article_index(request: HttpRequest) -> HttpResponse:
    return _render(
        request, "claims/public/index.html", {"articles": selectors.published_articles()[:200]}
    )


@require_safe
def article_page(request: HttpRequest, pk: int) -> HttpResponse:
    article = _article_or_404(pk)
    items = selectors.published_claims(article=article)
    reviews = _reviews_for(request, article, items)
    entries = [
        {"item": item, "jsonld": claimreview.jsonld_script(review)}
        for item, review in zip(items, reviews, strict=True)
    ]
    context = {
        "article": article,
        "entries": entries,
        "publisher": claimreview.publisher_organization(request.build_absolute_uri),
    }
    return _render(request, "claims/public/article.html", context)


@require_safe
def article_claimreview_json(request: HttpRequest, pk: int) -> JsonResponse:
    article = _article_or_404(pk)
    reviews = _reviews_for(request, article, selectors.published_claims(article=article))
    feed = claimreview.claim_review_feed(reviews, name=article.title or f"Article {article.pk}")
    return JsonResponse(feed, json_dumps_params={"ensure_ascii": False})


@require_safe
def claimreview_feed(request: HttpRequest) -> JsonResponse:
    reviews: list[dict] = []
    for article in selectors.published_articles()[:FEED_LIMIT]:
        reviews += _reviews_for(request, article, selectors.published_claims(article=article))
    feed = claimreview.claim_review_feed(reviews, name="Fact-checks")
    return JsonResponse(feed, json_dumps_params={"ensure_ascii": False})


@require_safe
def article_csv(request: HttpRequest, pk: int) -> HttpResponse:
    article = _article_or_404(pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="factchecks-article-{article.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(PUBLIC_CSV_HEADER)
    for item in selectors.published_claims(article=article):
        writer.writerow(
            [
                csv_safe(v)
                for v in (
                    item.claim.pk,
                    item.text,
                    item.review.verdict,
                    item.review.rationale,
                    item.review.created_at.isoformat(),
                    " ".join(s.url for s in item.sources),
                    article.title,
                    article.url,
                )
            ]
        )
    return response


@require_safe
def snapshot_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Our stored copy of a source cited by a published fact-check."""
    try:
        snapshot = selectors.published_snapshot_get(pk=pk)
    except Snapshot.DoesNotExist as exc:
        raise Http404("No published snapshot here.") from exc
    return _render(request, "claims/public/snapshot.html", {"snapshot": snapshot})
