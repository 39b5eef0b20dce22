"""Writing the publication state of articles: an editor publishes their reviewed claims."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from claims import roles
from claims.models import Article, Claim

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
    Claim.objects.filter(pk__in=publishable.values("pk")).update(is_published=True)
    now = timezone.now()
    locked.is_published = True
    locked.published_at = locked.published_at or now
    locked.save(update_fields=["is_published", "published_at"])
    article.is_published, article.published_at = locked.is_published, locked.published_at
    return locked


@transaction.atomic
def article_unpublish(*, article: Article, editor: AbstractBaseUser) -> Article:
    """Takes the article and all its claims off the public pages."""
    if not roles.can_edit(editor):
        raise PermissionDenied("Only editors unpublish articles.")
    Claim.objects.filter(article=article).update(is_published=False)
    Article.objects.filter(pk=article.pk).update(is_published=False)
    article.refresh_from_db()
    return article
