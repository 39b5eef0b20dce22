"""Who may do what. Groups: reviewers record verdicts; editors also edit claims and articles.

Anyone else who is signed in may only read.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission

REVIEWERS = "reviewers"
EDITORS = "editors"

# Model permissions editors need in the admin; reviews stay view-only there.
_EDITOR_PERMS = {
    "article": ("view", "change", "add", "delete"),
    "claim": ("view", "change", "add", "delete"),
    "sentence": ("view", "change"),
    "source": ("view", "change"),
    "snapshot": ("view",),
    "fetchattempt": ("view",),
    "evidence": ("view", "change", "delete"),
    "review": ("view",),
    "rating": ("view", "change", "add", "delete"),
    "claimevent": ("view",),
    "factcheck": ("view",),
    "claimmatch": ("view",),
    "periodictask": ("view", "change", "add"),
    "intervalschedule": ("view", "change", "add"),
    "crontabschedule": ("view", "change", "add"),
}


def ensure_roles() -> None:
    """Creates the groups and gives editors their admin permissions (idempotent)."""
    Group.objects.get_or_create(name=REVIEWERS)
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    codenames = [
        f"{action}_{model}" for model, actions in _EDITOR_PERMS.items() for action in actions
    ]
    perms = Permission.objects.filter(
        codename__in=codenames,
        content_type__app_label__in=["claims", "django_celery_beat"],
    )
    editors.permissions.add(*perms)


def _in_group(user: AbstractBaseUser | AnonymousUser, *names: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=names).exists()


def can_review(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Assign, add sources, record verdicts."""
    return _in_group(user, REVIEWERS, EDITORS)


def can_edit(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Edit claim text, manage and publish articles."""
    return _in_group(user, EDITORS)
