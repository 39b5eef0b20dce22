"""Who reaches the admin: active staff in the editors group, and superusers.

INSTALLED_APPS lists `claims.apps.EditorsAdminConfig` in place of "django.contrib.admin",
so `admin.site` (which factcheck/urls.py routes) is an `EditorsAdminSite`.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from claims import roles


def editor_has_admin_permission(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and (user.is_superuser or roles.can_edit(user)))


class EditorsAdminSite(admin.AdminSite):
    site_header = "Fact-check administration"
    site_title = "Fact-check admin"

    def has_permission(self, request: HttpRequest) -> bool:
        return editor_has_admin_permission(request)
