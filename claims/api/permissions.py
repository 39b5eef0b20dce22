"""The UI's roles (claims.roles) as DRF permissions."""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

from claims import roles


class ReadOrReview(BasePermission):
    """Anyone signed in reads; reviewers and editors write."""

    message = "Only reviewers and editors may do this."

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in SAFE_METHODS or roles.can_review(request.user)


class IsEditor(BasePermission):
    """Editors only (publishing, claim editing)."""

    message = "Only editors may do this."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and roles.can_edit(request.user))
