"""Who may call a view, and small request helpers shared by the views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme

from claims.roles import can_edit, can_review

View = Callable[..., HttpResponse]


def _requires(check: Callable, what: str) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not check(request.user):
                raise PermissionDenied(f"Only {what} may do this.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


reviewer_required = _requires(can_review, "reviewers and editors")
editor_required = _requires(can_edit, "editors")


def roles(request: HttpRequest) -> dict[str, bool]:
    """Template flags; the server checks again on every write."""
    return {"can_review": can_review(request.user), "can_edit": can_edit(request.user)}


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
