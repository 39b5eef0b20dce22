"""Read-side queries shaped for pages and endpoints."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from .models import Article, Claim


def article_list() -> QuerySet[Article]:
    """Articles with their claim counts per status, newest first."""
    counts = {
        f"n_{status}": Count("claims", filter=Q(claims__status=status))
        for status in Claim.Status.values
    }
    return Article.objects.annotate(n_claims=Count("claims"), **counts).order_by("-created_at")
