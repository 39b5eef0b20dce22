"""Read-side queries shaped for the REST API."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Prefetch, Q, QuerySet

from claims import roles
from claims.models import Article, Claim, Evidence, FetchAttempt, Review, Snapshot, Source
from claims.selectors.article import article_list, article_progress
from claims.selectors.matches import shown_matches_prefetch


def api_article_list() -> QuerySet[Article]:
    return article_list()


def api_article_detail() -> QuerySet[Article]:
    return Article.objects.annotate(n_claims=Count("claims")).prefetch_related(
        Prefetch(
            "claims",
            queryset=Claim.objects.select_related("assignee")
            .prefetch_related(shown_matches_prefetch())
            .order_by("start"),
        )
    )


def article_progress_data(*, article: Article) -> dict[str, Any]:
    """Where an article request stands: fetched and extracted, claims researched."""
    progress = article_progress(article=article)
    return {
        "id": article.pk,
        "status": article.status,
        "failure_reason": article.failure_reason,
        "claims": progress.claims,
        "claims_by_status": progress.claims_by_status,
        "researching": progress.researching,
        "done": progress.done,
        "state": progress.state,
        "warnings": list(progress.warnings),
    }


def api_claim_list(
    *,
    user: AbstractBaseUser,
    status: str | None = None,
    article: int | None = None,
    assignee: str | None = None,
    kind: str | None = None,
    min_score: float | None = None,
    published: bool | None = None,
    q: str | None = None,
) -> QuerySet[Claim]:
    claims = Claim.objects.select_related("assignee", "article").prefetch_related(
        shown_matches_prefetch()
    )
    if status:
        claims = claims.filter(status=status)
    if article is not None:
        claims = claims.filter(article_id=article)
    if assignee == "me":
        claims = claims.filter(assignee=user)
    elif assignee == "none":
        claims = claims.filter(assignee__isnull=True)
    elif assignee:
        claims = claims.filter(assignee__username=assignee)
    if kind:
        claims = claims.filter(kind=kind)
    if min_score is not None:
        claims = claims.filter(score__gte=min_score)
    if published is not None:
        claims = claims.filter(is_published=published)
    if q:
        claims = claims.filter(text__icontains=q)
    return claims


def api_claim_detail() -> QuerySet[Claim]:
    return Claim.objects.select_related("assignee", "article").prefetch_related(
        shown_matches_prefetch(),
        Prefetch(
            "evidence",
            queryset=Evidence.objects.select_related("source", "snapshot", "added_by").order_by(
                "-relevance", "pk"
            ),
        ),
        Prefetch(
            "reviews",
            queryset=Review.objects.select_related("reviewer")
            .prefetch_related("evidence")
            .order_by("-created_at", "-pk"),
        ),
    )


def api_source_detail() -> QuerySet[Source]:
    return Source.objects.prefetch_related(
        Prefetch(
            "snapshots",
            queryset=Snapshot.objects.defer("raw_body", "text").order_by("-fetched_at", "-pk"),
        ),
        Prefetch("attempts", queryset=FetchAttempt.objects.order_by("-started_at", "-pk")),
    )


def reviewer_candidates() -> QuerySet:
    """Users a claim may be assigned to: active reviewers, editors and superusers."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name__in=[roles.REVIEWERS, roles.EDITORS]))
        .distinct()
        .order_by("username")
    )
