"""Who reaches the admin: active editors (no separate staff flag needed), and superusers.

INSTALLED_APPS lists `claims.apps.EditorsAdminConfig` in place of "django.contrib.admin",
so `admin.site` (which factcheck/urls.py routes) is an `EditorsAdminSite`.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from claims import roles


def editor_has_admin_permission(request: HttpRequest) -> bool:
    """Editors and superusers. Staff status alone (a reviewer made staff) is not enough."""
    user = request.user
    return bool(user.is_active and (user.is_superuser or roles.can_edit(user)))


class EditorsLoginForm(AdminAuthenticationForm):
    """The admin's sign-in: editors and superusers, with or without the staff flag."""

    def confirm_login_allowed(self, user) -> None:
        AuthenticationForm.confirm_login_allowed(self, user)
        if not (user.is_superuser or roles.can_edit(user)):
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class EditorsAdminSite(admin.AdminSite):
    site_header = "Fact-check administration"
    site_title = "Fact-check admin"
    login_form = EditorsLoginForm

    def has_permission(self, request: HttpRequest) -> bool:
        return editor_has_admin_permission(request)
