"""Sign-in throttling: django-axes for every sign-in over HTTP (pages, admin, API)."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend


class SignInThrottle(AxesStandaloneBackend):
    """django-axes' check, for sign-ins that come with a request.

    authenticate() called from code without one (a management command, a script) is not a
    sign-in attempt anyone can repeat from outside; axes would refuse it outright, so it is
    left to the next backend.
    """

    def authenticate(self, request: Any = None, *args: Any, **kwargs: Any) -> Any:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)
