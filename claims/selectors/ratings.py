"""The rating scale: ratings per verdict, the default of each, the scale's extremes."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Max, Min

from claims.models import Rating


@dataclass(frozen=True)
class Scale:
    best: int | None
    worst: int | None


def rating_scale() -> Scale:
    """bestRating and worstRating for ClaimReview: the highest and lowest rating values."""
    bounds = Rating.objects.aggregate(best=Max("rating_value"), worst=Min("rating_value"))
    return Scale(best=bounds["best"], worst=bounds["worst"])


def default_rating(verdict: str) -> Rating | None:
    return Rating.objects.filter(verdict=verdict, is_default=True).first()


def ratings_by_verdict() -> dict[str, list[Rating]]:
    grouped: dict[str, list[Rating]] = {}
    for rating in Rating.objects.order_by("position", "pk"):
        grouped.setdefault(rating.verdict, []).append(rating)
    return grouped
