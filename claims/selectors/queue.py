"""The review queue: claims a reviewer has to look at, most check-worthy first."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from claims.models import (
    Article,
    Claim,
    ClaimMatch,
    Evidence,
)
from claims.selectors.article import ARTICLE_LIST_FIELDS, with_match_marks


def _count_subquery(evidence: QuerySet[Evidence]) -> Coalesce:
    """COUNT(*) of a claim's evidence as a correlated subquery (evaluated per row shown)."""
    sub = evidence.order_by().values("claim").annotate(c=Count("pk")).values("c")[:1]
    return Coalesce(Subquery(sub, output_field=IntegerField()), 0)


@dataclass
class QueueFilters:
    status: str = "open"  # "open", "all" or a Claim.Status value
    article: int | None = None
    assignee: str = "mine_or_unassigned"  # "mine", "unassigned", "any"
    min_score: float | None = None
    has_evidence: str = ""  # "", "yes", "no"
    stance: str = ""  # "" or an Evidence.Stance value
    match: str = ""  # "", "any" (has a match) or "same" (a same-claim match)


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
        qs = qs.filter(status__in=Claim.REVIEW_STATUSES)
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
    if filters.match in ("any", "same"):
        matches = ClaimMatch.objects.filter(claim=OuterRef("pk"), dismissed_at__isnull=True)
        if filters.match == "same":
            matches = matches.filter(same_claim=True)
        qs = qs.filter(Exists(matches))
    annotations = {
        f"n_{stance}": _count_subquery(evidence.filter(stance=stance))
        for stance in Evidence.Stance.values
    }
    return with_match_marks(qs.annotate(**annotations)).order_by("-score", "pk")
