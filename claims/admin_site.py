"""Who reaches the admin: active staff in the editors group, and superusers.

`restrict_admin_to_editors` narrows the default `admin.site` in place (factcheck/urls.py
routes admin.site.urls). `EditorsAdminConfig` does the same as a custom default site, for a
project that lists "claims.admin_site.EditorsAdminConfig" instead of "django.contrib.admin".
"""

from __future__ import annotations

import types

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
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


class EditorsAdminConfig(AdminConfig):
    default_site = "claims.admin_site.EditorsAdminSite"


def restrict_admin_to_editors(site: admin.AdminSite) -> None:
    if isinstance(site, EditorsAdminSite):
        return
    site.has_permission = types.MethodType(
        lambda self, request: editor_has_admin_permission(request), site
    )
    site.site_header = EditorsAdminSite.site_header
    site.site_title = EditorsAdminSite.site_title
