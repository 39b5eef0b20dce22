"""Writing the publication state of articles: an editor publishes their reviewed claims."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from claims import roles
from claims.models import Article, Claim, ClaimEvent, Review

# A claim is publishable once a reviewer gave it one of these verdicts.


@transaction.atomic
def article_publish(*, article: Article, editor: AbstractBaseUser) -> Article:
    """Publishes the article with every claim that has a verdict; the others stay unpublished.

    Publishing again picks up claims reviewed since. Raises ValidationError when no claim
    has a verdict yet, PermissionDenied when the user is not an editor.
    """
    if not roles.can_edit(editor):
        raise PermissionDenied("Only editors publish articles.")
    locked = Article.objects.select_for_update().get(pk=article.pk)
    publishable = Claim.objects.filter(
        article=locked, status__in=Claim.VERDICT_STATUSES, reviews__isnull=False
    ).distinct()
    if not publishable.exists():
        raise ValidationError("No claim of this article has a verdict yet: nothing to publish.")
    if settings.FACTCHECK_PUBLISH_REQUIRES_SECOND_REVIEWER:
        _check_second_person(publishable, editor)
    latest = Review.objects.filter(claim=OuterRef("pk")).order_by("-created_at", "-pk")
    # Each claim with a verdict publishes its latest review; a claim sent back to re-review
    # keeps the review that was published before (the reviewed wording stays public).
    Claim.objects.filter(pk__in=publishable.values("pk")).update(
        is_published=True, published_review=Subquery(latest.values("pk")[:1])
    )
    _record(publishable, ClaimEvent.Kind.PUBLISHED, editor, "Published")
    now = timezone.now()
    locked.is_published = True
    locked.published_at = locked.published_at or now
    locked.save(update_fields=["is_published", "published_at"])
    article.is_published, article.published_at = locked.is_published, locked.published_at
    return locked


def _record(claims, kind: str, editor: AbstractBaseUser, message: str) -> None:
    """The publication change on each claim's timeline: who and when."""
    ClaimEvent.objects.bulk_create(
        [
            ClaimEvent(claim_id=pk, kind=kind, actor=editor, message=message)
            for pk in claims.values_list("pk", flat=True)
        ]
    )


def _check_second_person(publishable, editor: AbstractBaseUser) -> None:
    """Two-person rule: the editor who publishes gave none of the verdicts published."""
    latest = Review.objects.filter(claim=OuterRef("pk")).order_by("-created_at", "-pk")
    own = sorted(
        publishable.annotate(reviewer_id=Subquery(latest.values("reviewer_id")[:1]))
        .filter(reviewer_id=editor.pk)
        .values_list("pk", flat=True)
    )
    if own:
        ids = ", ".join(f"#{pk}" for pk in own)
        raise ValidationError(
            f"Two-person rule: you reviewed claim(s) {ids}; another editor must publish them."
        )


@transaction.atomic
def article_unpublish(*, article: Article, editor: AbstractBaseUser) -> Article:
    """Takes the article and all its claims off the public pages."""
    if not roles.can_edit(editor):
        raise PermissionDenied("Only editors unpublish articles.")
    published = Claim.objects.filter(article=article, is_published=True)
    _record(published, ClaimEvent.Kind.UNPUBLISHED, editor, "Taken off the public pages")
    Claim.objects.filter(article=article).update(is_published=False, published_review=None)
    Article.objects.filter(pk=article.pk).update(is_published=False)
    article.refresh_from_db()
    return article
